const { base } = require('../jest.config.js');

module.exports = {
  ...base,
  rootDir: '.',
  testRegex: '.e2e-spec.ts$',
};
