// @nestjs packages ship as ESM only; jest runs CommonJS, so they are transpiled too.
const esmPackages = [
  '@nestjs',
  'file-type',
  'load-esm',
  'uid',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
].join('|');

/** Shared by the unit and e2e configs (test/jest-e2e.config.js reads it). */
const base = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages})/)`],
};

module.exports = { ...base, rootDir: 'src', testRegex: '.*\\.spec\\.ts$' };
Object.defineProperty(module.exports, 'base', { value: base, enumerable: false });
