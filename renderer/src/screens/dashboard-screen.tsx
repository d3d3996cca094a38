import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OpInput } from '../../../shared/operations/index.js';
import { useClient, useOp } from '../client/index.js';
import { DoorArrivals } from '../components/door-arrivals.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button, Segmented, SelectField } from '../components/ui.js';
import { isoDay, money } from '../format.js';

type Range = { from: string; to: string; tz: string; source: 'all' | 'box-office' | 'partner' };
type Granularity = 'day' | 'week' | 'month';

const KIOSK_TZ = Intl.DateTimeFormat().resolvedOptions().timeZone;
const ZONES = [...new Set([KIOSK_TZ, 'America/Chicago', 'America/New_York', 'America/Denver', 'America/Los_Angeles', 'America/Toronto', 'UTC'])];
const PRESETS = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
];
const COLORS = ['#1d4ed8', '#b3261e', '#166534', '#a16207', '#7c3aed', '#0e7490', '#be185d', '#4b5563'];
// Layout lives here (inline styles are allowed by the CSP) so the shared stylesheet stays untouched.
const S = {
  kpis: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', gap: 12 },
  kpi: { display: 'flex', flexDirection: 'column', gap: 2 },
  kpiValue: { fontSize: '1.6rem', fontVariantNumeric: 'tabular-nums' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: 12 },
  wide: { gridColumn: '1 / -1', margin: 0 },
  chart: { margin: 0 },
  head: { display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap', marginBottom: 8 },
  box: { width: '100%', height: 280 },
} as const;
const dollars = (cents: number) => `$${Math.round(cents / 100).toLocaleString('en-US')}`;

/** Sales dashboard (issue 7): box-office and partner sales over a date range, with charts and CSV. */
export function DashboardScreen() {
  const [range, setRange] = useState<Range>({ from: isoDay(-29), to: isoDay(0), tz: KIOSK_TZ, source: 'all' });
  const [granularity, setGranularity] = useState<Granularity>('day');
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(range.from) && /^\d{4}-\d{2}-\d{2}$/.test(range.to) && range.from <= range.to;
  const enabled = { enabled: valid };
  const revenue = useOp('reportRevenue', { ...range, granularity }, enabled);
  const regions = useOp('reportSalesByRegion', range, enabled);
  const referrals = useOp('reportSalesByReferral', range, enabled);
  const customers = useOp('reportTopCustomers', { ...range, limit: 10 }, enabled);
  const client = useClient();
  const [exportError, setExportError] = useState<unknown>(null);

  const download = async (report: OpInput<'exportReport'>['report']) => {
    setExportError(null);
    try {
      const out = await client.exportReport({ report, ...range, granularity, limit: 100 });
      const url = URL.createObjectURL(new Blob([out.csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = out.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setExportError(e);
    }
  };

  const total = revenue.data?.total;
  const regionRows = (regions.data?.items ?? []).slice(0, 12).map((r) => ({ name: r.region ?? r.country ?? 'No address', cents: r.revenueCents }));
  const referralRows = (referrals.data?.items ?? []).map((r) => ({ name: r.referral ?? 'none', cents: r.revenueCents, orders: r.orders }));

  return (
    <section className="screen">
      <div className="screen-head">
        <h1>Sales dashboard</h1>
        <span className="sub">Box-office and partner sales; days are counted in {range.tz}.</span>
      </div>

      <form className="panel field-row filters" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>From</span>
          <input type="date" value={range.from} max={range.to} onChange={(e) => setRange({ ...range, from: e.target.value })} />
        </label>
        <label className="field">
          <span>To</span>
          <input type="date" value={range.to} min={range.from} onChange={(e) => setRange({ ...range, to: e.target.value })} />
        </label>
        <SelectField label="Time zone" value={range.tz} onChange={(e) => setRange({ ...range, tz: e.target.value })}>
          {ZONES.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </SelectField>
        <SelectField label="Sales" value={range.source} onChange={(e) => setRange({ ...range, source: e.target.value as Range['source'] })}>
          <option value="all">All channels</option>
          <option value="box-office">Box office only</option>
          <option value="partner">Partner channels only</option>
        </SelectField>
        <div className="field" style={{ flex: '0 0 auto' }}>
          <span>Last</span>
          <div className="segmented" style={{ flexWrap: 'nowrap' }}>
            {PRESETS.map((p) => (
              <Button key={p.days} onPress={() => setRange({ ...range, from: isoDay(1 - p.days), to: isoDay(0) })}>
                {p.label}
              </Button>
            ))}
          </div>
        </div>
      </form>
      {valid ? null : <p className="notice notice-warn">Choose a start date on or before the end date.</p>}
      <ErrorNotice error={revenue.error ?? regions.error ?? referrals.error ?? customers.error ?? (exportError as never)} />

      <div style={S.kpis} role="group" aria-label="Totals">
        <div className="panel" style={S.kpi}>
          <span className="muted">Revenue</span>
          <strong style={S.kpiValue} data-testid="kpi-revenue">{total ? money(total.revenueCents) : '…'}</strong>
        </div>
        <div className="panel" style={S.kpi}>
          <span className="muted">Orders</span>
          <strong style={S.kpiValue} data-testid="kpi-orders">{total ? total.orders.toLocaleString('en-US') : '…'}</strong>
        </div>
        <div className="panel" style={S.kpi}>
          <span className="muted">Average order</span>
          <strong style={S.kpiValue}>{total ? (total.orders > 0 ? money(Math.round(total.revenueCents / total.orders)) : '—') : '…'}</strong>
        </div>
      </div>

      <div style={S.grid}>
        <figure className="panel" style={S.wide} aria-labelledby="rev-title">
          <div style={S.head}>
            <h2 id="rev-title">Revenue by {granularity}</h2>
            <Segmented
              label="Group by"
              hideLabel
              value={granularity}
              onChange={setGranularity}
              options={[
                { value: 'day', label: 'Day' },
                { value: 'week', label: 'Week' },
                { value: 'month', label: 'Month' },
              ]}
            />
            <Button variant="link" onPress={() => void download('revenue')}>
              CSV
            </Button>
          </div>
          <div style={S.box} data-testid="chart-revenue" role="img" aria-label={`Revenue by ${granularity}: ${total ? money(total.revenueCents) : 'loading'} in all`}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={revenue.data?.items ?? []} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                <XAxis dataKey="period" tick={{ fontSize: 12 }} minTickGap={16} />
                <YAxis tickFormatter={dollars} tick={{ fontSize: 12 }} width={72} />
                <Tooltip formatter={(v) => money(Number(v))} labelFormatter={(l) => (granularity === 'week' ? `Week of ${String(l)}` : String(l))} />
                <Bar dataKey="revenueCents" name="Revenue" fill="#1d4ed8" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>

        <figure className="panel" style={S.chart} aria-labelledby="region-title">
          <div style={S.head}>
            <h2 id="region-title">Sales by state / province</h2>
            <Button variant="link" onPress={() => void download('regions')}>
              CSV
            </Button>
          </div>
          <div style={S.box} data-testid="chart-regions" role="img" aria-label={`Sales by state: ${regionRows.map((r) => `${r.name} ${money(r.cents)}`).join(', ')}`}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={regionRows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                <XAxis type="number" tickFormatter={dollars} tick={{ fontSize: 12 }} />
                <YAxis type="category" dataKey="name" width={110} tick={{ fontSize: 12 }} interval={0} />
                <Tooltip formatter={(v) => money(Number(v))} />
                <Bar dataKey="cents" name="Revenue" fill="#b3261e" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>

        <figure className="panel" style={S.chart} aria-labelledby="ref-title">
          <div style={S.head}>
            <h2 id="ref-title">Referral sources</h2>
            <Button variant="link" onPress={() => void download('referrals')}>
              CSV
            </Button>
          </div>
          <div style={S.box} data-testid="chart-referrals" role="img" aria-label={`Referral sources: ${referralRows.map((r) => `${r.name} ${money(r.cents)}`).join(', ')}`}>
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={referralRows} margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
                <YAxis tickFormatter={dollars} tick={{ fontSize: 12 }} width={72} />
                <Tooltip formatter={(v) => money(Number(v))} />
                <Bar dataKey="cents" name="Revenue" isAnimationActive={false}>
                  {referralRows.map((r, i) => (
                    <Cell key={r.name} fill={COLORS[i % COLORS.length]} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>

        <div className="panel" style={S.wide}>
          <div style={S.head}>
            <h2 id="top-title">Top customers</h2>
            <Button variant="link" onPress={() => void download('top-customers')}>
              CSV
            </Button>
          </div>
          {customers.data && customers.data.items.length === 0 ? <p className="muted">No named customers bought in this range.</p> : null}
          {customers.data && customers.data.items.length > 0 ? (
            <table className="table" aria-labelledby="top-title">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>Customer</th>
                  <th>Email</th>
                  <th className="num">Orders</th>
                  <th className="num">Spent</th>
                </tr>
              </thead>
              <tbody>
                {customers.data.items.map((c) => (
                  <tr key={c.customerId}>
                    <td className="num">{c.rank}</td>
                    <td>{c.name ?? <span className="muted">—</span>}</td>
                    <td>{c.email ?? <span className="muted">—</span>}</td>
                    <td className="num">{c.orders}</td>
                    <td className="num">{money(c.revenueCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      </div>
      <DoorArrivals />
    </section>
  );
}
