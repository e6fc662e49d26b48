import { describe, expect, it } from 'vitest';
import { isSecretName, looksLikeSecret, redact } from '../../src/model/secrets.js';

describe('isSecretName', () => {
  it.each([
    ['SECRET_KEY', true],
    ['client_secret', true],
    ['transaction_key', true],
    ['access_key', true],
    ['HMAC_KEYS', true],
    ['FERNET_KEYS', true],
    ['SENTRY_DSN', true],
    ['EMAIL_HOST_PASSWORD', true],
    ['GOOGLE_SERVICE_ACCOUNT_CREDENTIALS', true],
    ['api_key', true],
    ['OAUTH_ID_TOKEN_EXPIRATION', false],
    ['EMSI_API_ACCESS_TOKEN_URL', false],
    ['SOCIAL_AUTH_EDX_OAUTH2_KEY', false],
    ['CREDENTIALS_SERVICE_USER', false],
    ['KEY_PREFIX', false],
    ['routing_key', false],
    ['SESSION_COOKIE_NAME', false],
  ])('%s: %s', (name, secret) => {
    expect(isSecretName(name)).toBe(secret);
  });
});

describe('looksLikeSecret', () => {
  it.each([
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', true],
    ['ghp_16C7e42F292c6912E7710c838347Ae178B4a', true],
    ['AKIAIOSFODNN7EXAMPLE', true],
    ['aZ3kP9qL2mX7vB4nR8tY1wE6uI0oPs', true],
    ['django.contrib.staticfiles.storage.ManifestStaticFilesStorage', false],
    ['replace with valid username', false],
    ['https://edx-cdn.org/v3/default/logo-trademark.svg', false],
    ['credentials_sessionid', false],
  ])('%s: %s', (value, secret) => {
    expect(looksLikeSecret(value)).toBe(secret);
  });
});

describe('redact', () => {
  it('replaces secrets by name at any depth and in any case, keeping other values', () => {
    const result = redact('PAYMENT_PROCESSOR_CONFIG', {
      edx: { cybersource: { merchant_id: 'edx', transaction_key: 'abc', access_key: 'k', secret_key: 's' } },
    });
    expect(result).toEqual({
      redacted: true,
      value: {
        edx: {
          cybersource: {
            merchant_id: 'edx',
            transaction_key: 'CHANGE-ME-payment-processor-config-edx-cybersource-transaction-key',
            access_key: 'CHANGE-ME-payment-processor-config-edx-cybersource-access-key',
            secret_key: 'CHANGE-ME-payment-processor-config-edx-cybersource-secret-key',
          },
        },
      },
    });
  });

  it('keeps a URL with credentials as a URL, with CHANGE-ME credentials', () => {
    expect(redact('BROKER_URL', 'redis://:celery@127.0.0.1:6379/0').value).toBe(
      'redis://:CHANGE-ME-broker-url-password@127.0.0.1:6379/0',
    );
    expect(redact('DB', 'mysql://user:hunter2@db:3306/app').value).toBe(
      'mysql://user:CHANGE-ME-db-password@db:3306/app',
    );
    expect(redact('SENTRY_DSN', 'https://0123abcd@o1.ingest.sentry.io/5').value).toBe(
      'https://CHANGE-ME-sentry-dsn-key@o1.ingest.sentry.io/5',
    );
  });

  it('replaces token-shaped and high-entropy strings under any name', () => {
    expect(redact('STRIPE', { live: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' }).value).toEqual({
      live: 'CHANGE-ME-stripe-live',
    });
    expect(redact('FERNET_KEYS', ['insecure-secret-key']).value).toEqual(['CHANGE-ME-fernet-keys']);
  });

  it.each([
    ['CORS_ALLOW_CREDENTIALS', true],
    ['OAUTH_ID_TOKEN_EXPIRATION', 60],
    ['SECRET_KEY', ''],
    ['LOGO_URL', 'https://edx-cdn.org/v3/default/logo.svg'],
  ])('leaves %s = %j as it is and says nothing was a secret', (name, value) => {
    expect(redact(name, value)).toEqual({ value, redacted: false });
  });
});
