import { MAX_ERROR_MESSAGE_LENGTH, redactErrorMessage, redactSecrets, registerSecrets } from './redact';

describe('redactSecrets', () => {
  it.each([
    ['https://finnhub.io/api/v1/quote?symbol=AAPL&token=abc123', 'https://finnhub.io/api/v1/quote?symbol=AAPL&token=***'],
    ['https://www.alphavantage.co/query?apikey=SECRETKEY&function=GLOBAL_QUOTE', 'https://www.alphavantage.co/query?apikey=***&function=GLOBAL_QUOTE'],
    ['http://h/x?API_KEY=k1&key=k2#frag', 'http://h/x?API_KEY=***&key=***#frag'],
    ['http://user:hunter2@h/x?a=1', 'http://user:***@h/x?a=1'],
    ['failed with Authorization: Bearer eyJhbGciOi.x-y', 'failed with Authorization: ***'],
    ['sent Bearer eyJhbGciOi.x-y upstream', 'sent Bearer *** upstream'],
  ])('hides the credential in %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    ['apikey=supersecret123', 'apikey=***'],
    ['TOKEN=supersecret123 failed', 'TOKEN=*** failed'],
    ['api-key: supersecret123', 'api-key: ***'],
    ['x-cg-demo-api-key: cgsecret789', 'x-cg-demo-api-key: ***'],
    ['{"apikey":"supersecret123"}', '{"apikey":"***"}'],
    ['password=hunter2', 'password=***'],
    ['Authorization: Basic dXNlcjpwYXNz failed', 'Authorization: *** failed'],
    ['Authorization: Token tok888', 'Authorization: ***'],
    ['client_secret=cs1&private_key=pk2', 'client_secret=***&private_key=***'],
    ['?X-Amz-Signature=abc123&sig=def', '?X-Amz-Signature=***&sig=***'],
    ['?token%3Denc666', '?token%3D***'],
  ])('hides a credential outside a URL: %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('hides registered secret values wherever they appear', () => {
    registerSecrets(['registered-key-42', undefined, 'ab']);
    expect(redactSecrets('the key registered-key-42 is invalid')).toBe('the key *** is invalid');
    expect(redactSecrets('ab stays: too short to be a key')).toBe('ab stays: too short to be a key');
  });

  it('leaves lookalike parameters and other values alone', () => {
    const url = 'http://h/api/v3/simple/price?ids=bitcoin&monkey=1&tokens=2';
    expect(redactSecrets(url)).toBe(url);
  });

  it('accepts URL objects', () => {
    expect(redactSecrets(new URL('http://127.0.0.1:1/query?symbol=IBM&apikey=abc'))).toBe('http://127.0.0.1:1/query?symbol=IBM&apikey=***');
  });

  it('removes literal key values as well as URL parameters', () => {
    const text = 'We have detected your API key as SUPERSECRET; see http://h/q?token=SUPERSECRET';
    expect(redactSecrets(text, ['SUPERSECRET', undefined])).toBe('We have detected your API key as ***; see http://h/q?token=***');
  });
});

describe('redactErrorMessage', () => {
  it('redacts before bounding, so a key cut in half is still hidden', () => {
    const text = `${'x'.repeat(MAX_ERROR_MESSAGE_LENGTH - 10)}?token=abcdefghijklmnop`;
    const out = redactErrorMessage(text);
    expect(out).not.toMatch(/abcdef/);
    expect(out.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH + 1);
  });
});
