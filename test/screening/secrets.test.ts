import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../src/outcomes/secrets.ts';
import { redactSecrets } from '../../src/sessions/redact.ts';

/** The shared rule set (ingest redaction and the grader's check): the kinds issue 7 lists. */
const CASES: [string, string, string][] = [
  [
    'aws secret key',
    'aws_secret_access_key = Wq3rT5yU7iO9pA1sD3fG5hJ7kL9zX1cV3bN5mQ7e',
    'aws_secret_access_key = [REDACTED:aws_secret_key]',
  ],
  [
    'gcp api key',
    'GOOGLE_API_KEY=AIzaSyR3dT3amG00gleK3yAbCdEfGhIjKlMnOpq',
    'GOOGLE_API_KEY=[REDACTED:gcp_api_key]',
  ],
  [
    'gcp service account private key (JSON, escaped newlines)',
    '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n",',
    '"private_key": "[REDACTED:private_key]\\n",',
  ],
  [
    'azure storage connection string',
    'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=R3dT3amAzur3K3yAbCdEfGhIjKlMnOpQrStUv==;EndpointSuffix=core.windows.net',
    'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=[REDACTED:azure_key];EndpointSuffix=core.windows.net',
  ],
  [
    'azure service bus key',
    'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abcDEF123456ghiJKL789=',
    'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=[REDACTED:azure_key]',
  ],
  ['github app token', 'ghs_abcdefghijklmnopqrstuvwxyz0123456789', '[REDACTED:github_token]'],
  ['slack session token', 'xoxs-1234567890-abcdefghij', '[REDACTED:slack_token]'],
  [
    'slack webhook',
    'POST https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX ok',
    'POST [REDACTED:webhook_url] ok',
  ],
  ['discord webhook', 'https://discord.com/api/webhooks/123456/abcDEF-ghi', '[REDACTED:webhook_url]'],
  ['stripe key', 'sk_live_abcdefghijklmnop1234', '[REDACTED:stripe_key]'],
  [
    'redis url without user',
    'redis://:R3disPw0rd@cache:6379/0',
    'redis://:[REDACTED:url_password]@cache:6379/0',
  ],
  [
    'mongodb srv url',
    'mongodb+srv://app:M0ng0Pass@cluster0.x.mongodb.net/db',
    'mongodb+srv://app:[REDACTED:url_password]@cluster0.x.mongodb.net/db',
  ],
  [
    'mysql url',
    'mysql://root:r00tpw@127.0.0.1:3306/app',
    'mysql://root:[REDACTED:url_password]@127.0.0.1:3306/app',
  ],
  [
    'high-entropy assignment',
    'DEPLOY_SIGNING_SEED=q8Zr2Lm4Xv7Tn1Bw9Kc3Hd6Jf5',
    'DEPLOY_SIGNING_SEED=[REDACTED:high_entropy]',
  ],
];

/** Look-alikes that must survive: ids, hashes, identifiers, paths. */
const KEEP = [
  'sessions: sesn_BnOe5J6mHFDVk7bUw2qaA45f, sesn_0JT9JpaB10eQbf1zrXNxPdoK',
  'commit=9f8e7d6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e',
  'component=MyComponentName2ForTesting',
  'file: src/components/CheckoutSummaryPanel.tsx',
  'id=msg_01XFDUDYJgAACzvnptvVoYEL',
  'timeout=30000 retries=3',
  'ERROR: test_DIGESTAUTH_WRONG_HTTP_401_GET (__main__.RequestsTestCase)',
];

describe('secret rules', () => {
  for (const [name, input, expected] of CASES) {
    it(`redacts ${name}, and the grader sees it`, () => {
      const r = redactSecrets(input);
      expect(r.text).toBe(expected);
      expect(r.count).toBeGreaterThanOrEqual(1);
      expect(findSecrets(`x\n${input}\n`)[0]?.line).toBe(2);
    });
  }
  it('leaves ids, hashes, identifiers and paths alone', () => {
    for (const k of KEEP) expect(redactSecrets(k).text).toBe(k);
  });
});
