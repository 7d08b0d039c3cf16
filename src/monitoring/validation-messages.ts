import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/**
 * One message per broken rule, each naming its field by its full path the way the rest of the
 * API does: `rules[2].window must be one of ...`, `property thresholds.bogus should not exist`.
 */
export function validationMessages(errors: readonly ValidationError[], parent = ''): string[] {
  const messages: string[] = [];
  for (const error of errors) {
    const path = parent === '' ? error.property : /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`;
    for (const [rule, text] of Object.entries(error.constraints ?? {})) {
      if (rule === 'whitelistValidation') messages.push(`property ${path} should not exist`);
      // class-validator's messages start with the property's own name: put the rest of the path before it.
      else messages.push(parent === '' ? text : `${parent}.${text}`);
    }
    messages.push(...validationMessages(error.children ?? [], path));
  }
  return messages;
}

/** For ValidationPipe's `exceptionFactory`: a 400 whose message lists validationMessages(). */
export const validationException = (errors: ValidationError[]) => new BadRequestException(validationMessages(errors));
