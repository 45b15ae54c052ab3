import type { Silence } from "../detect/silence.ts";
import type { SqlDriver } from "./driver.ts";

const ms = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).getTime();

function toSilence(r: Record<string, unknown>): Silence {
  return { id: Number(r.id), matchers: r.matchers as Record<string, string>, creator: String(r.creator), comment: String(r.comment), startsAt: ms(r.starts_at), endsAt: ms(r.ends_at) };
}

/** Silences, kept in the store so that a restart does not unmute anything. */
export class SilenceStore {
  constructor(private readonly db: Pick<SqlDriver, "query">) {}

  async create(s: Omit<Silence, "id">): Promise<Silence> {
    const [row] = await this.db.query<{ id: string | number }>(
      "INSERT INTO lo.silences (matchers, creator, comment, starts_at, ends_at) VALUES ($1::jsonb, $2, $3, $4, $5) RETURNING id",
      [JSON.stringify(s.matchers), s.creator, s.comment, new Date(s.startsAt), new Date(s.endsAt)],
    );
    return { ...s, id: Number(row!.id) };
  }

  async active(now: Date): Promise<Silence[]> {
    return (await this.db.query<Record<string, unknown>>("SELECT * FROM lo.silences WHERE starts_at <= $1 AND ends_at > $1 ORDER BY id", [now])).map(toSilence);
  }

  async get(id: number): Promise<Silence | undefined> {
    const [row] = await this.db.query<Record<string, unknown>>("SELECT * FROM lo.silences WHERE id = $1", [id]);
    return row ? toSilence(row) : undefined;
  }

  async all(): Promise<Silence[]> {
    return (await this.db.query<Record<string, unknown>>("SELECT * FROM lo.silences ORDER BY id DESC LIMIT 500")).map(toSilence);
  }

  /** Ends a silence now; false when there is no such silence. */
  async expire(id: number, now: Date): Promise<boolean> {
    return (await this.db.query("UPDATE lo.silences SET ends_at = least(ends_at, $2) WHERE id = $1 RETURNING id", [id, now])).length > 0;
  }

  /** Silences that ended and whose end was not announced yet; marks them announced. */
  async takeExpired(now: Date): Promise<Silence[]> {
    return (await this.db.query<Record<string, unknown>>("UPDATE lo.silences SET expiry_noticed = true WHERE ends_at <= $1 AND NOT expiry_noticed RETURNING *", [now])).map(toSilence);
  }
}
