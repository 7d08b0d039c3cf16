import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { providerNameProblem } from './core/sample-rules';

/** A name that can never be stored gets a 400 rather than a 404 that echoes it back whole. */
@Injectable()
export class ProviderNamePipe implements PipeTransform<string, string> {
  transform(name: string): string {
    const problem = providerNameProblem(name);
    if (problem) throw new BadRequestException([problem.replace(/^provider /, 'name ')]);
    return name;
  }
}
