import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { signWebhook, verifyWebhook } from "../../server/notify/signature.ts";

const SECRET = "0123456789abcdef0123456789abcdef";
const BODY = '{"version":1,"type":"incident"}';
const T = 1_796_560_000;

test("the signature is HMAC-SHA256 over '<timestamp>.<body>', as the README tells receivers to compute it", () => {
  const mac = createHmac("sha256", SECRET).update(`${T}.${BODY}`).digest("hex");
  assert.equal(signWebhook(SECRET, T, BODY), `t=${T},v1=${mac}`);
});

test("a receiver accepts a fresh signature and refuses a tampered body, another key, a replay and no signature", () => {
  const header = signWebhook(SECRET, T, BODY);
  assert.equal(verifyWebhook(SECRET, header, BODY, T + 10), null);
  assert.equal(verifyWebhook(SECRET, header, BODY.replace("1", "2"), T), "signature mismatch");
  assert.equal(verifyWebhook("another-secret-another-secret-00", header, BODY, T), "signature mismatch");
  assert.match(verifyWebhook(SECRET, header, BODY, T + 301)!, /^timestamp outside the tolerance/);
  assert.equal(verifyWebhook(SECRET, undefined, BODY, T), "no signature");
  assert.equal(verifyWebhook(SECRET, `t=${T},v1=zz`, BODY, T), "no signature");
});
