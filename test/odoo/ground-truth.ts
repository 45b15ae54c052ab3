import pg from "pg";

/**
 * Each business SLI computed independently, in SQL on the Odoo database itself, for the same `now` and window:
 * what the collector (going through Odoo's ORM over JSON-RPC) must agree with.
 */
export async function groundTruth(pgUrl: string, now: Date, windowSeconds: number): Promise<Record<string, number | null>> {
  const db = new pg.Client({ connectionString: pgUrl });
  await db.connect();
  const nowUtc = now.toISOString().slice(0, 19).replace("T", " ");
  const one = async (sql: string): Promise<number | null> => {
    const { rows } = await db.query(sql, [nowUtc, windowSeconds]);
    const v = rows[0]?.v;
    return v === null || v === undefined ? null : Number(v);
  };
  // $1 = now (naive UTC), $2 = window in seconds; "in the window" is (now - window, now].
  const inWindow = (col: string) => `${col} > $1::timestamp - make_interval(secs => $2) AND ${col} <= $1::timestamp`;
  const outgoing = "JOIN stock_picking_type t ON t.id = p.picking_type_id AND t.code = 'outgoing'";
  try {
    const fullShip = `SELECT o.id, o.date_order, max(p.date_done) AS full_at FROM sale_order o JOIN stock_picking p ON p.sale_id = o.id AND p.state = 'done' ${outgoing}
                      WHERE o.state = 'sale' AND o.delivery_status = 'full' GROUP BY o.id, o.date_order`;
    const doneDeliveries = `SELECT p.* FROM stock_picking p ${outgoing} WHERE p.state = 'done' AND ${inWindow("p.date_done")}`;
    // With the addon, a batch's done time is the one it recorded; without, the last done picking's.
    const addonDoneDate = (await db.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'stock_picking_batch' AND column_name = 'date_done'")).rowCount;
    const waves = addonDoneDate
      ? `SELECT scheduled_date, date_done AS done_at FROM stock_picking_batch WHERE is_wave AND state = 'done' AND scheduled_date IS NOT NULL AND date_done IS NOT NULL`
      : `SELECT b.scheduled_date, max(p.date_done) AS done_at FROM stock_picking_batch b JOIN stock_picking p ON p.batch_id = b.id AND p.state = 'done'
         WHERE b.is_wave AND b.state = 'done' AND b.scheduled_date IS NOT NULL GROUP BY b.id, b.scheduled_date`;
    return {
      late_open_deliveries: await one(`SELECT count(*) AS v FROM stock_picking p ${outgoing} WHERE p.state IN ('assigned','waiting','confirmed')
        AND (p.has_deadline_issue OR p.date_deadline < date_trunc('day', $1::timestamp) OR p.scheduled_date < date_trunc('day', $1::timestamp)) AND $2 > 0`),
      ready_backlog: await one(`SELECT count(*) AS v FROM stock_picking p ${outgoing} WHERE p.state = 'assigned' AND $1::text IS NOT NULL AND $2 > 0`),
      ready_backlog_oldest_age_seconds: await one(`SELECT coalesce(greatest(0, extract(epoch FROM $1::timestamp - min(p.scheduled_date))), 0) AS v FROM stock_picking p ${outgoing} WHERE p.state = 'assigned' AND $2 > 0`),
      order_quote_to_confirm_p50_seconds: await one(`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM date_order - create_date)) AS v FROM sale_order WHERE state = 'sale' AND ${inWindow("date_order")}`),
      order_quote_to_confirm_p95_seconds: await one(`SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM date_order - create_date)) AS v FROM sale_order WHERE state = 'sale' AND ${inWindow("date_order")}`),
      order_confirm_to_first_ship_p50_seconds: await one(`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM effective_date - date_order)) AS v FROM sale_order WHERE state = 'sale' AND ${inWindow("effective_date")}`),
      order_confirm_to_first_ship_p95_seconds: await one(`SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM effective_date - date_order)) AS v FROM sale_order WHERE state = 'sale' AND ${inWindow("effective_date")}`),
      order_confirm_to_full_ship_p50_seconds: await one(`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM full_at - date_order)) AS v FROM (${fullShip}) f WHERE ${inWindow("full_at")}`),
      order_confirm_to_full_ship_p95_seconds: await one(`SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM full_at - date_order)) AS v FROM (${fullShip}) f WHERE ${inWindow("full_at")}`),
      on_time_delivery_ratio: await one(`SELECT avg(CASE WHEN date_done <= coalesce(date_deadline, scheduled_date) THEN 1.0 ELSE 0.0 END) AS v FROM (${doneDeliveries}) d`),
      delivery_avg_delay_seconds: await one(`SELECT avg(extract(epoch FROM date_done - scheduled_date)) AS v FROM (${doneDeliveries}) d`),
      delivery_avg_lead_time_seconds: await one(`SELECT avg(extract(epoch FROM date_done - create_date)) AS v FROM (${doneDeliveries}) d`),
      wave_delay_p95_seconds: await one(`SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM done_at - scheduled_date)) AS v FROM (${waves}) w WHERE ${inWindow("done_at")}`),
      late_open_waves: await one(`SELECT count(*) AS v FROM stock_picking_batch WHERE is_wave AND state IN ('draft','in_progress') AND scheduled_date < $1::timestamp AND $2 > 0`),
      cron_failing_jobs: await one(`SELECT count(*) AS v FROM ir_cron WHERE active AND failure_count > 0 AND $1::text IS NOT NULL AND $2 > 0`),
      mail_outgoing_backlog: await one(`SELECT count(*) AS v FROM mail_mail WHERE state = 'outgoing' AND (scheduled_date IS NULL OR scheduled_date <= $1::timestamp) AND $2 > 0`),
      label_failure_ratio_total: await one(`SELECT CASE WHEN to_regclass('logistics_label_event') IS NULL THEN NULL ELSE
        (SELECT avg(CASE WHEN success THEN 0.0 ELSE 1.0 END) FROM logistics_label_event WHERE ${inWindow("create_date")}) END AS v`),
      mail_failed_total: await one(`SELECT count(*) AS v FROM mail_mail WHERE state = 'exception' AND $1::text IS NOT NULL AND $2 > 0`),
    };
  } finally {
    await db.end();
  }
}

/** Label events per carrier in the window (the addon's table), to weigh per-carrier ratios. */
export async function labelEventCounts(pgUrl: string, now: Date, windowSeconds: number): Promise<Map<string, number>> {
  const db = new pg.Client({ connectionString: pgUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT carrier_name, count(*)::int AS n FROM logistics_label_event
       WHERE create_date > $1::timestamp - make_interval(secs => $2) AND create_date <= $1::timestamp GROUP BY carrier_name`,
      [now.toISOString().slice(0, 19).replace("T", " "), windowSeconds],
    );
    return new Map(rows.map((r) => [r.carrier_name, r.n]));
  } finally {
    await db.end();
  }
}
