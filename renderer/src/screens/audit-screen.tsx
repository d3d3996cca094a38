import { useState, type FormEvent } from 'react';
import type { OpInput } from '../../../shared/operations/index.js';
import { useOp } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button } from '../components/ui.js';

const show = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 1));

/** Admins: the append-only log of every change — who, when, where, what, before and after. */
export function AuditScreen() {
  const [draft, setDraft] = useState({ actor: '', operation: '', from: '', to: '' });
  const [filter, setFilter] = useState<OpInput<'listAuditLog'>>({ limit: 100 });
  const log = useOp('listAuditLog', filter);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter({
      limit: 100,
      ...(draft.actor ? { actor: draft.actor.trim() } : {}),
      ...(draft.operation ? { operation: draft.operation.trim() } : {}),
      ...(draft.from ? { from: draft.from } : {}),
      ...(draft.to ? { to: draft.to } : {}),
    });
  };
  const field = (k: keyof typeof draft, label: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`audit-${k}`}>{label}</label>
      <input id={`audit-${k}`} type={type} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
    </div>
  );
  return (
    <section className="screen">
      <div className="screen-head">
        <h1>Audit log</h1>
        <span className="muted">Every change, newest first; entries can never be edited</span>
      </div>
      <form className="panel field-row" onSubmit={apply} aria-label="Filter the audit log">
        {field('actor', 'User')}
        {field('operation', 'Operation')}
        {field('from', 'From', 'date')}
        {field('to', 'To', 'date')}
        <Button type="submit" variant="primary">
          Filter
        </Button>
      </form>
      <ErrorNotice error={log.error} />
      <div className="panel">
        <table className="table audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Where</th>
              <th>Operation</th>
              <th>Subject</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {log.data?.items.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>
                  {e.username ?? '—'} {e.role ? <span className="muted">({e.role})</span> : null}
                </td>
                <td>{e.tokenId ? `token #${e.tokenId}` : (e.terminal ?? '')}</td>
                <td>{e.operation}</td>
                <td>{e.subject ?? ''}</td>
                <td>
                  <details>
                    <summary>Show</summary>
                    <pre className="audit-json">{`input: ${show(e.input)}\nbefore: ${show(e.before)}\nafter: ${show(e.after)}`}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {log.data?.nextBefore ? (
          <Button onPress={() => setFilter({ ...filter, before: log.data!.nextBefore! })}>Older entries</Button>
        ) : null}
      </div>
    </section>
  );
}
