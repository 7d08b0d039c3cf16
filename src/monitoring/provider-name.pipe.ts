import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { MAX_PROVIDER_NAME_LENGTH } from './core/sample-rules';

/** A name that can never be stored gets a 400 rather than a 404 that echoes it back whole. */
@Injectable()
export class ProviderNamePipe implements PipeTransform<string, string> {
  transform(name: string): string {
    if (name.length === 0 || name.length > MAX_PROVIDER_NAME_LENGTH) {
      throw new BadRequestException([`name must be 1 to ${MAX_PROVIDER_NAME_LENGTH} characters long`]);
    }
    return name;
  }
}
