import { isIP } from "node:net";
import { connect, type DetailedPeerCertificate, type PeerCertificate } from "node:tls";
import type { Sources } from "../config/load.ts";
import { reading, type Reading } from "../sli/sample.ts";
import type { CollectContext, Collector } from "./collector.ts";

/** `sources.tls` of the config: the endpoints to probe and the handshake timeout. */
export type TlsSource = NonNullable<Sources["tls"]>;
/** One configured endpoint; its `name` is the `endpoint` label. */
export type TlsEndpoint = TlsSource["endpoints"][number];

/** The TLS SLIs (server/sli/infra-catalog.ts), each labelled {endpoint}. */
export const TLS_SLIS = ["tls_leaf_expiry_days", "tls_chain_expiry_days", "tls_chain_valid"] as const;

const DAY_MS = 86_400_000;

/** What one handshake showed about an endpoint's certificates. */
export interface TlsProbe {
  leafNotAfter: Date;
  /** The earliest expiry over the leaf, the intermediates and the root the chain was completed with. */
  chainNotAfter: Date;
  /** The chain verifies against Node's trust store and names the host (socket.authorized). */
  authorized: boolean;
  /** Why it does not, as OpenSSL or Node names it (e.g. CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID). */
  authorizationError: string | null;
}

/**
 * Expiry of the leaf and the earliest of its chain, walking `issuerCertificate` links as getPeerCertificate(true)
 * gives them. The walk stops at a self-signed root (its issuer is itself) or at a certificate seen before.
 */
export function chainExpiry(leaf: DetailedPeerCertificate): { leafNotAfter: Date; chainNotAfter: Date } {
  const leafNotAfter = notAfter(leaf);
  let chainNotAfter = leafNotAfter;
  const seen = new Set<string>([leaf.fingerprint256]);
  let cert = leaf;
  while (cert.issuerCertificate && cert.issuerCertificate !== cert && !seen.has(cert.issuerCertificate.fingerprint256)) {
    cert = cert.issuerCertificate;
    seen.add(cert.fingerprint256);
    const expiry = notAfter(cert);
    if (expiry < chainNotAfter) chainNotAfter = expiry;
  }
  return { leafNotAfter, chainNotAfter };
}

function notAfter(cert: PeerCertificate): Date {
  const at = new Date(cert.valid_to);
  if (Number.isNaN(at.getTime())) throw new Error(`certificate ${cert.subject?.CN ?? ""} has an unreadable expiry: ${cert.valid_to}`);
  return at;
}

/** Days from `now` to `at`, to 2 decimals: negative once expired. */
export const daysUntil = (at: Date, now: Date) => Math.round(((at.getTime() - now.getTime()) / DAY_MS) * 100) / 100;

/** The three readings of an endpoint: from a probe, or all missing with the reason of its failure. */
export function tlsReadings(endpoint: string, probe: TlsProbe | Error, now: Date): Reading[] {
  const labels = { endpoint };
  if (probe instanceof Error) return TLS_SLIS.map((sli) => reading(sli, undefined, probe.message, labels));
  return [
    reading("tls_leaf_expiry_days", daysUntil(probe.leafNotAfter, now), "", labels),
    reading("tls_chain_expiry_days", daysUntil(probe.chainNotAfter, now), "", labels),
    reading("tls_chain_valid", probe.authorized ? 1 : 0, "", labels),
  ];
}

/**
 * Certificate expiry and chain validity of each configured TLS endpoint. The handshake accepts any chain
 * (`rejectUnauthorized: false`) so that an expired or untrusted one is still measured; validity is reported on its
 * own, with the cause kept for the API. An endpoint that cannot be reached has its readings missing with the cause;
 * the others are measured all the same.
 */
export class TlsCollector implements Collector {
  readonly tenant = "global";
  readonly source = "tls";
  readonly slis = TLS_SLIS;
  readonly #authorizationErrors = new Map<string, string | null>();

  constructor(private readonly config: TlsSource) {}

  async collect({ now, signal }: CollectContext): Promise<Reading[]> {
    const probes = await Promise.all(this.config.endpoints.map((e) => this.probe(e, signal).catch((err: Error) => err)));
    return this.config.endpoints.flatMap((endpoint, i) => {
      const probe = probes[i]!;
      this.#authorizationErrors.set(endpoint.name, probe instanceof Error ? null : probe.authorizationError);
      return tlsReadings(endpoint.name, probe, now);
    });
  }

  /** Why the last measured chain of each endpoint did not verify (null: it did, or it was not measured). */
  authorizationErrors(): ReadonlyMap<string, string | null> {
    return this.#authorizationErrors;
  }

  /** One handshake with the endpoint; rejects with an error naming the endpoint and the cause. */
  private probe(endpoint: TlsEndpoint, signal: AbortSignal): Promise<TlsProbe> {
    const { host, port } = endpoint;
    const where = `${endpoint.name} (${host}:${port})`;
    const servername = endpoint.servername ?? host;
    const timeoutMs = this.config.timeoutMs;
    return new Promise((resolve, reject) => {
      const socket = connect({
        host,
        port,
        // SNI carries a DNS name only (RFC 6066): for an IP the name checked is the IP itself, and no SNI is sent.
        ...(isIP(servername) ? {} : { servername }),
        rejectUnauthorized: false,
        timeout: timeoutMs,
      });
      const fail = (cause: string) => {
        socket.destroy();
        reject(new Error(`${where}: ${cause}`));
      };
      // The run's deadline ends the handshake too (tls.connect's types have no `signal` option).
      const onAbort = () => fail("aborted: the run's deadline passed");
      if (signal.aborted) onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      socket.once("close", () => signal.removeEventListener("abort", onAbort));
      socket.once("secureConnect", () => {
        socket.setTimeout(0);
        try {
          const { leafNotAfter, chainNotAfter } = chainExpiry(socket.getPeerCertificate(true));
          const authorizationError = socket.authorized ? null : String(socket.authorizationError ?? "unknown");
          socket.end();
          resolve({ leafNotAfter, chainNotAfter, authorized: socket.authorized, authorizationError });
        } catch (err) {
          fail((err as Error).message);
        }
      });
      socket.on("timeout", () => fail(`no TLS handshake within ${timeoutMs} ms`));
      // `on`, not `once`: a reset while closing after the handshake would otherwise be an uncaught error.
      socket.on("error", (err: NodeJS.ErrnoException) => fail(connectFailure(err)));
    });
  }
}

function connectFailure(err: NodeJS.ErrnoException): string {
  if (err.code?.startsWith("ERR_SSL") || err.code?.startsWith("ERR_TLS")) return `TLS handshake failed (${err.code})`;
  return err.code ? `cannot connect (${err.code})` : `TLS handshake failed (${err.message})`;
}
