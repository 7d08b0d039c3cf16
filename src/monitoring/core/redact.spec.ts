import { MAX_ERROR_MESSAGE_LENGTH, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it.each([
    ['https://finnhub.io/api/v1/quote?symbol=AAPL&token=abc123', 'https://finnhub.io/api/v1/quote?symbol=AAPL&token=***'],
    ['/query?function=GLOBAL_QUOTE&apikey=XYZ&symbol=IBM', '/query?function=GLOBAL_QUOTE&apikey=***&symbol=IBM'],
    ['?API_KEY=k1 and Bearer eyJhbGciOi.x-y', '?API_KEY=*** and Bearer ***'],
  ])('hides the credential in %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('bounds the length of what is kept', () => {
    expect(redactSecrets('x'.repeat(10_000)).length).toBe(MAX_ERROR_MESSAGE_LENGTH + 1);
  });
});
