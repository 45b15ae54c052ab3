/**
 * Schema migrations, applied in order at start-up inside one transaction each. The same SQL runs on a
 * PostgreSQL server and on embedded PGlite (which is PostgreSQL compiled to WebAssembly), so it stays plain.
 * Append new versions; never edit an applied one.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: "samples, latest readings, cursors and business facts",
    sql: `
      CREATE TABLE lo.samples (
        tenant text NOT NULL, source text NOT NULL, sli text NOT NULL, labels jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL, value double precision, missing text,
        CHECK ((value IS NULL) <> (missing IS NULL))
      );
      CREATE INDEX samples_series ON lo.samples (tenant, sli, at);
      CREATE INDEX samples_at ON lo.samples (at);
      -- The last reading of each series, replaced per collector (owner, source) in the same transaction as the
      -- samples, so that "current" is one indexed read and a label that left the window (a carrier) leaves it too.
      -- owner is the collector's tenant ("global" for a shared source whose readings name several tenants).
      CREATE TABLE lo.latest (
        owner text NOT NULL, tenant text NOT NULL, source text NOT NULL, sli text NOT NULL, labels_key text NOT NULL, labels jsonb NOT NULL,
        at timestamptz NOT NULL, value double precision, missing text,
        PRIMARY KEY (tenant, sli, labels_key)
      );
      CREATE TABLE lo.cursors (tenant text NOT NULL, name text NOT NULL, value jsonb NOT NULL, PRIMARY KEY (tenant, name));
      CREATE TABLE lo.order_facts (
        tenant text NOT NULL, order_id integer NOT NULL, created_at timestamptz NOT NULL, confirmed_at timestamptz,
        first_shipped_at timestamptz, fully_shipped_at timestamptz, PRIMARY KEY (tenant, order_id)
      );
      CREATE TABLE lo.delivery_facts (
        tenant text NOT NULL, picking_id integer NOT NULL, created_at timestamptz NOT NULL, scheduled_at timestamptz NOT NULL,
        deadline_at timestamptz, done_at timestamptz NOT NULL, label_carrier text, label_missing boolean NOT NULL,
        PRIMARY KEY (tenant, picking_id)
      );
      CREATE INDEX delivery_facts_done ON lo.delivery_facts (tenant, done_at);
      CREATE TABLE lo.wave_facts (
        tenant text NOT NULL, batch_id integer NOT NULL, is_wave boolean NOT NULL, scheduled_at timestamptz,
        done_at timestamptz NOT NULL, PRIMARY KEY (tenant, batch_id)
      );
      CREATE TABLE lo.label_events (
        tenant text NOT NULL, event_id integer NOT NULL, carrier text NOT NULL, at timestamptz NOT NULL,
        duration_seconds double precision NOT NULL, ok boolean NOT NULL, PRIMARY KEY (tenant, event_id)
      );
      CREATE INDEX label_events_at ON lo.label_events (tenant, at);
    `,
  },
  {
    version: 2,
    name: "events: backups, restore tests and deploy markers",
    sql: `
      CREATE TABLE lo.events (
        id bigserial PRIMARY KEY, kind text NOT NULL, tenant text, at timestamptz NOT NULL,
        payload jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX events_kind_at ON lo.events (kind, at);
    `,
  },
  {
    version: 3,
    name: "notification outbox",
    sql: `
      -- Every notification is written here before anything is sent; the idempotency key makes a repeated
      -- transition one row, and the state machine (pending -> sent | failed) survives restarts.
      CREATE TABLE lo.outbox (
        id bigserial PRIMARY KEY, idempotency_key text NOT NULL UNIQUE, channel text NOT NULL, recipient text NOT NULL,
        subject text NOT NULL, body text NOT NULL, state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL DEFAULT now(), last_error text,
        created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz
      );
      CREATE INDEX outbox_due ON lo.outbox (next_attempt_at) WHERE state = 'pending';
    `,
  },
  {
    version: 4,
    name: "alerts",
    sql: `
      -- The current (or last) episode of each alert, so that pending/firing state survives a restart.
      CREATE TABLE lo.alerts (
        fingerprint text PRIMARY KEY, tenant text NOT NULL, sli text NOT NULL, labels jsonb NOT NULL,
        severity text NOT NULL, state text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
        since timestamptz NOT NULL, fired_at timestamptz, resolved_at timestamptz,
        value double precision, objective double precision NOT NULL, updated_at timestamptz NOT NULL
      );
      CREATE INDEX alerts_tenant ON lo.alerts (tenant);
    `,
  },
  {
    version: 5,
    name: "silences and inhibition",
    sql: `
      CREATE TABLE lo.silences (
        id bigserial PRIMARY KEY, matchers jsonb NOT NULL, creator text NOT NULL, comment text NOT NULL,
        starts_at timestamptz NOT NULL, ends_at timestamptz NOT NULL, expiry_noticed boolean NOT NULL DEFAULT false
      );
      ALTER TABLE lo.alerts ADD COLUMN silenced_by bigint, ADD COLUMN inhibited_by text;
    `,
  },
  {
    version: 6,
    name: "SLO ledger, tenant settings from Odoo, alert kinds and repeats, outbox routing",
    sql: `
      -- Good/bad sampled time per series, per minute (kept 3 days: the burn-rate windows) and per hour (kept 90
      -- days: the SLO windows), so that budgets and burn rates never rescan samples.
      CREATE TABLE lo.slo_buckets (
        tenant text NOT NULL, sli text NOT NULL, labels_key text NOT NULL, labels jsonb NOT NULL,
        resolution text NOT NULL CHECK (resolution IN ('minute', 'hour')), at timestamptz NOT NULL,
        known integer NOT NULL, bad integer NOT NULL, value_sum double precision NOT NULL, PRIMARY KEY (tenant, sli, labels_key, resolution, at)
      );
      CREATE INDEX slo_buckets_at ON lo.slo_buckets (resolution, at);
      -- Objectives and SLO targets an Odoo tenant's settings page set; they outlive a restart.
      CREATE TABLE lo.tenant_settings (tenant text PRIMARY KEY, settings jsonb NOT NULL, synced_at timestamptz NOT NULL);
      ALTER TABLE lo.alerts ADD COLUMN kind text NOT NULL DEFAULT 'threshold', ADD COLUMN details jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN last_notified_at timestamptz, ADD COLUMN repeats integer NOT NULL DEFAULT 0;
      -- Notifications of one tenant and area to one recipient go out as one email.
      ALTER TABLE lo.outbox ADD COLUMN group_key text NOT NULL DEFAULT '';
      CREATE INDEX outbox_recipient_sent ON lo.outbox (recipient, sent_at) WHERE state = 'sent';
    `,
  },
  {
    version: 7,
    name: "keep-firing delay; alerts notified before notifications were tracked",
    sql: `
      ALTER TABLE lo.alerts ADD COLUMN clear_since timestamptz;
      -- Alerts firing before version 6 were notified when they fired: their resolution is announced too.
      UPDATE lo.alerts SET last_notified_at = fired_at WHERE state = 'firing' AND last_notified_at IS NULL AND fired_at IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: "incidents: alerts grouped per tenant with their causes and timeline",
    sql: `
      -- One row per incident; what changes together (alerts, causes, timeline, what people were told) is one
      -- document, the columns are what the API filters and sorts by.
      CREATE TABLE lo.incidents (
        id bigserial PRIMARY KEY, scope text NOT NULL, tenant text NOT NULL, state text NOT NULL CHECK (state IN ('open', 'resolved')),
        severity text NOT NULL, title text NOT NULL, opened_at timestamptz NOT NULL, resolved_at timestamptz,
        first_abnormal_at timestamptz NOT NULL, first_notified_at timestamptz, doc jsonb NOT NULL, updated_at timestamptz NOT NULL
      );
      -- At most one open incident per scope: two evaluators cannot open two.
      CREATE UNIQUE INDEX incidents_open_scope ON lo.incidents (scope) WHERE state = 'open';
      CREATE INDEX incidents_tenant_opened ON lo.incidents (tenant, opened_at DESC);
      ALTER TABLE lo.alerts ADD COLUMN incident_id bigint;
    `,
  },
  {
    version: 9,
    name: "API tokens bound to a tenant, with scopes, stored hashed",
    sql: `
      -- Only the SHA-256 of a token is kept: the store leaks no credential. tenant NULL: every tenant.
      CREATE TABLE lo.api_tokens (
        id bigserial PRIMARY KEY, hash text NOT NULL UNIQUE, tenant text, scopes text[] NOT NULL, label text NOT NULL,
        created_at timestamptz NOT NULL, revoked_at timestamptz, last_used_at timestamptz
      );
    `,
  },
  {
    version: 10,
    name: "outbox: an HTML part beside the plain text",
    sql: `
      -- The weekly digest reads as a table of KPIs; alerts stay plain text (html NULL).
      ALTER TABLE lo.outbox ADD COLUMN html text;
    `,
  },
  {
    version: 11,
    name: "several backends on one store: instances, leases, outbox claims",
    sql: `
      -- Each backend instance beats here; one not seen for a lease's length is gone, and its leases free.
      CREATE TABLE lo.instances (id text PRIMARY KEY, started_at timestamptz NOT NULL, seen_at timestamptz NOT NULL);
      -- Who samples and judges what: 'tenant:<name>' per tenant, 'global' for the shared collectors and housekeeping.
      CREATE TABLE lo.leases (resource text PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL);
      -- A message being delivered is claimed (FOR UPDATE SKIP LOCKED) until then: no two instances send it.
      ALTER TABLE lo.outbox ADD COLUMN claimed_until timestamptz;
    `,
  },
  {
    version: 12,
    name: "synthetic journey runs and the tenants' audit trail",
    sql: `
      -- Each run of a journey with its steps: the failing step and its error, and the timeline of an incident.
      CREATE TABLE lo.journey_runs (
        id bigserial PRIMARY KEY, tenant text NOT NULL, journey text NOT NULL, at timestamptz NOT NULL, ok boolean NOT NULL,
        seconds double precision NOT NULL, failed_step text, error text, steps jsonb NOT NULL
      );
      CREATE INDEX journey_runs_tenant_at ON lo.journey_runs (tenant, journey, at DESC);
      -- Who changed what, when: the addon's audit events copied per tenant (odoo_id is the row's id there).
      CREATE TABLE lo.audit_events (
        tenant text NOT NULL, odoo_id bigint NOT NULL, at timestamptz NOT NULL, category text NOT NULL, action text NOT NULL,
        actor text, login text, remote_addr text, target_model text, target_id bigint, target_name text, detail text, rows integer,
        PRIMARY KEY (tenant, odoo_id)
      );
      CREATE INDEX audit_events_tenant_at ON lo.audit_events (tenant, at DESC);
      CREATE INDEX audit_events_category_at ON lo.audit_events (category, at DESC);
    `,
  },
];
