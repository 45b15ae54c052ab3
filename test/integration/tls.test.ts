import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createServer as createTlsServer, type DetailedPeerCertificate } from "node:tls";
import { chainExpiry, TlsCollector } from "../../server/collectors/tls.ts";
import type { Reading } from "../../server/sli/sample.ts";
import { freePort as closedPort } from "../support/ports.ts";

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!hasOpenssl) console.log("# tls suite: NOT RUN (openssl not installed)");

/** A CA valid 30 days, and leaves for "localhost" it signed: one expiring in 5 days, one in 40 (past the CA). */
function makeCertificates(dir: string): { ca: string; soon: { key: string; cert: string }; late: { key: string; cert: string } } {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  writeFileSync(join(dir, "leaf.ext"), "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  const leaf = (name: string, days: number, serial: number) => {
    openssl("req", "-new", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", "/CN=localhost");
    openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", String(serial), "-days", String(days), "-extfile", "leaf.ext", "-out", `${name}.crt`);
    return { key: readFileSync(join(dir, `${name}.key`), "utf8"), cert: readFileSync(join(dir, `${name}.crt`), "utf8") };
  };
  return { ca: readFileSync(join(dir, "ca.crt"), "utf8"), soon: leaf("soon", 5, 2), late: leaf("late", 40, 3) };
}

const listen = async (server: TcpServer): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
};
const closeServer = (server: TcpServer) => new Promise<void>((resolve) => server.close(() => resolve()));


const byEndpoint = (readings: Reading[], endpoint: string) =>
  Object.fromEntries(readings.filter((r) => r.labels?.endpoint === endpoint).map((r) => [r.sli, r]));

describe("TLS collector against local TLS servers", { skip: hasOpenssl ? false : "openssl not installed" }, () => {
  const servers: TcpServer[] = [];
  const silentSockets: Socket[] = [];
  let dir: string;
  let collector: TlsCollector;
  let readings: Reading[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "lo-tls-"));
    const { ca, soon, late } = makeCertificates(dir);
    // The server sends its leaf and the CA, as a misconfigured-but-common server does with a private CA.
    const tlsServer = (leaf: { key: string; cert: string }) => createTlsServer({ key: leaf.key, cert: leaf.cert + ca });
    const silent = createTcpServer((socket) => silentSockets.push(socket)); // accepts, never answers the handshake
    servers.push(tlsServer(soon), tlsServer(late), silent);
    const [soonPort, latePort, silentPort] = await Promise.all(servers.map(listen));
    collector = new TlsCollector({
      timeoutMs: 1000,
      endpoints: [
        { name: "soon", host: "127.0.0.1", port: soonPort!, servername: "localhost" },
        { name: "late", host: "127.0.0.1", port: latePort!, servername: "localhost" },
        { name: "closed", host: "127.0.0.1", port: await closedPort() },
        { name: "silent", host: "127.0.0.1", port: silentPort! },
      ],
    });
    readings = await collector.collect({ now: new Date(), signal: new AbortController().signal });
  });
  after(async () => {
    silentSockets.forEach((s) => s.destroy());
    await Promise.all(servers.map(closeServer));
    rmSync(dir, { recursive: true });
  });

  test("a leaf expiring in 5 days: leaf and chain expiry are 5 days (the leaf is the earliest)", () => {
    const soon = byEndpoint(readings, "soon");
    const leaf = soon.tls_leaf_expiry_days?.value;
    assert.ok(leaf !== undefined && leaf >= 4.9 && leaf <= 5.0, `leaf expiry ${leaf}`);
    assert.equal(soon.tls_chain_expiry_days?.value, leaf);
  });

  test("a leaf expiring in 40 days under a CA expiring in 30: the chain expiry is the CA's", () => {
    const late = byEndpoint(readings, "late");
    const leaf = late.tls_leaf_expiry_days?.value;
    const chain = late.tls_chain_expiry_days?.value;
    assert.ok(leaf !== undefined && leaf >= 39.9 && leaf <= 40.0, `leaf expiry ${leaf}`);
    assert.ok(chain !== undefined && chain >= 29.9 && chain <= 30.0, `chain expiry ${chain}`);
  });

  test("a chain from a self-made CA is measured but not valid, and the cause is kept", () => {
    assert.equal(byEndpoint(readings, "soon").tls_chain_valid?.value, 0);
    assert.equal(byEndpoint(readings, "late").tls_chain_valid?.value, 0);
    assert.equal(collector.authorizationErrors().get("soon"), "SELF_SIGNED_CERT_IN_CHAIN");
  });

  test("a closed port: that endpoint's readings are missing, naming it and ECONNREFUSED", () => {
    const closed = byEndpoint(readings, "closed");
    assert.equal(Object.keys(closed).length, 3);
    for (const r of Object.values(closed)) {
      assert.equal(r.value, undefined);
      assert.match(r.missing ?? "", /^closed \(127\.0\.0\.1:\d+\): cannot connect \(ECONNREFUSED\)$/);
    }
  });

  test("a server that never completes the handshake: missing after the timeout", () => {
    for (const r of Object.values(byEndpoint(readings, "silent"))) assert.equal(r.missing, `silent (127.0.0.1:${servers[2] && (servers[2].address() as AddressInfo).port}): no TLS handshake within 1000 ms`);
  });

  test("a run already aborted by the deadline measures nothing and says so", async () => {
    const aborted = AbortSignal.abort();
    const r = await collector.collect({ now: new Date(), signal: aborted });
    assert.ok(r.length === 12 && r.every((x) => x.missing?.endsWith("aborted: the run's deadline passed")), JSON.stringify(r[0]));
  });
});

describe("chain walk", () => {
  const cert = (validTo: string, fingerprint256: string) => ({ valid_to: validTo, fingerprint256 }) as unknown as DetailedPeerCertificate;
  test("stops at a self-signed root and takes the earliest expiry", () => {
    const leaf = cert("Jun  1 00:00:00 2027 GMT", "A");
    const intermediate = cert("Mar  1 00:00:00 2027 GMT", "B");
    const root = cert("Jan  1 00:00:00 2035 GMT", "C");
    Object.assign(leaf, { issuerCertificate: intermediate });
    Object.assign(intermediate, { issuerCertificate: root });
    Object.assign(root, { issuerCertificate: root });
    assert.deepEqual(chainExpiry(leaf), { leafNotAfter: new Date("2027-06-01T00:00:00Z"), chainNotAfter: new Date("2027-03-01T00:00:00Z") });
  });
  test("a cycle of cross-signed certificates ends the walk", () => {
    const a = cert("Jun  1 00:00:00 2027 GMT", "A");
    const b = cert("Feb  1 00:00:00 2027 GMT", "B");
    Object.assign(a, { issuerCertificate: b });
    Object.assign(b, { issuerCertificate: a });
    assert.equal(chainExpiry(a).chainNotAfter.toISOString(), "2027-02-01T00:00:00.000Z");
  });
});
