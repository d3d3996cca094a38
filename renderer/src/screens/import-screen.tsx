import { useQueryClient } from '@tanstack/react-query';
import Papa from 'papaparse';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { OpOutput } from '../../../shared/operations/index.js';
import { IMPORT_FIELDS, type ImportField, type ImportMapping } from '../../../shared/schemas/import.js';
import { isCode, useClient, useOp } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button, SelectField } from '../components/ui.js';
import { href } from '../router.js';

type Preview = OpOutput<'previewImport'>;
type Report = OpOutput<'importTickets'>;
type Batch = OpOutput<'getImportBatch'>['batch'];

const FIELD_LABEL: Record<ImportField, string> = { eventId: 'Event id', section: 'Section', quantity: 'Quantity', price: 'Price', row: 'Row' };
const PREVIEW_BYTES = 64 * 1024;
const DELIMITER_NAME: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** The start of the file, cut at the last line end so the preview never shows half a row. */
async function head(file: File): Promise<string> {
  const text = await file.slice(0, PREVIEW_BYTES).text();
  if (file.size <= PREVIEW_BYTES) return text;
  const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return cut > 0 ? text.slice(0, cut + 1) : text;
}

function download(csv: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Rejected rows of a dry run as CSV, built here because a dry run keeps no batch on the server. */
function rejectedCsv(rows: Report['rejected']): string {
  return Papa.unparse(
    rows.map((r) => ({ line: r.line, problems: r.errors.join('; ') })),
    { escapeFormulae: true, newline: '\r\n' },
  );
}

const seconds = (s: number) => (s < 60 ? `${Math.ceil(s)} s` : `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`);

/** Progress of a running batch: the first half is reading and checking, the second publishing. */
function progressOf(b: Batch | undefined) {
  if (!b) return 0;
  if (b.phase === 'publishing') return 0.5 + (0.5 * b.rowsPublished) / Math.max(1, b.rowsImported);
  if (b.phase === 'done') return 1;
  return b.totalBytes ? (0.5 * b.bytesRead) / b.totalBytes : 0;
}

export function ImportScreen() {
  const client = useClient();
  const qc = useQueryClient();
  const sellers = useOp('listSellers', {});
  const batches = useOp('listImportBatches', { limit: 10 });
  const [file, setFile] = useState<File | null>(null);
  const [sellerId, setSellerId] = useState('1');
  const [mode, setMode] = useState<'valid-rows' | 'all-or-nothing'>('valid-rows');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [check, setCheck] = useState<Report | null>(null);
  const [result, setResult] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'check' | 'import' | null>(null);
  const [running, setRunning] = useState<{ ref: string; started: number; batch?: Batch } | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const refresh = () => Promise.all(['listImportBatches', 'getImportBatch', 'listEventTickets', 'listEventListings', 'searchEvents', 'getEvent', 'bestTicket'].map((k) => qc.invalidateQueries({ queryKey: [k] })));

  async function choose(f: File | undefined) {
    if (!f) return;
    setFile(f);
    setPreview(null);
    setCheck(null);
    setResult(null);
    setError(null);
    setBusy('preview');
    try {
      const p = await client.previewImport({ csv: await head(f), rows: 8 });
      setPreview(p);
      setMapping(p.suggestedMapping);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function remap(field: ImportField, column: string) {
    const next = { ...mapping, [field]: column || undefined };
    setMapping(next);
    setCheck(null);
    if (!file) return;
    try {
      const p = await client.previewImport({ csv: await head(file), rows: 8, mapping: next });
      setPreview({ ...p, suggestedMapping: preview?.suggestedMapping ?? p.suggestedMapping });
      setError(null);
    } catch (e) {
      setError(e);
    }
  }

  const missing = IMPORT_FIELDS.filter((f) => !mapping[f]);
  const input = async (extra: { dryRun: boolean; force?: boolean; clientRef?: string }) => ({
    csv: await file!.text(),
    sellerId: Number(sellerId),
    mode,
    mapping,
    fileName: file!.name,
    ...extra,
  });

  async function validate() {
    setBusy('check');
    setError(null);
    try {
      setCheck(await client.importTickets(await input({ dryRun: true })));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function runImport(force = false) {
    const ref = `ui-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    setBusy('import');
    setError(null);
    setResult(null);
    setRunning({ ref, started: Date.now() });
    try {
      const r = await client.importTickets(await input({ dryRun: false, force, clientRef: ref }));
      setResult(r);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
      setRunning(null);
      void refresh();
    }
  }

  // While an import runs the server reports progress on its batch; poll it by our client reference.
  useEffect(() => {
    if (!running) return;
    let stop = false;
    const tick = async () => {
      try {
        const { items } = await client.listImportBatches({ clientRef: running.ref, limit: 1 });
        if (!stop && items[0]) setRunning((r) => (r && r.ref === running.ref ? { ...r, batch: items[0] } : r));
      } catch {
        /* the next tick tries again */
      }
    };
    const timer = setInterval(() => void tick(), 400);
    void tick();
    return () => {
      stop = true;
      clearInterval(timer);
    };
  // Restart only for a new import (running changes on every tick).
  }, [client, running?.ref]);

  async function cancel() {
    const id = running?.batch?.id;
    if (id === undefined) return;
    try {
      await client.cancelImport({ id });
    } catch (e) {
      setError(e);
    }
  }

  async function rollback(id: number) {
    try {
      await client.rollbackImportBatch({ id });
      await refresh();
    } catch (e) {
      setError(e);
    }
  }

  async function downloadRejected(id: number) {
    try {
      const f = await client.exportRejectedCsv({ id });
      download(f.csv, f.fileName);
    } catch (e) {
      setError(e);
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void choose(e.dataTransfer.files[0]);
  };

  const frac = progressOf(running?.batch);
  const elapsed = running ? (Date.now() - running.started) / 1000 : 0;
  const rowsDone = running?.batch?.rowsRead ?? 0;
  const rate = elapsed > 0 ? Math.round(rowsDone / elapsed) : 0;
  const eta = frac > 0.02 ? (elapsed * (1 - frac)) / frac : null;
  const duplicate = isCode(error, 'DUPLICATE_IMPORT');

  return (
    <section className="screen">
      <div className="screen-head">
        <h1>Import listings</h1>
        <span className="sub">A seller&apos;s CSV (eventId, section, quantity, price, row): check it, map its columns, import it.</span>
      </div>

      <div className="panel" style={{ display: 'grid', gap: 12 }}>
        <h2>1. The file</h2>
        <div
          className="drop-zone"
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          style={{ border: `2px dashed ${dragging ? 'var(--accent)' : 'var(--line)'}`, borderRadius: 'var(--radius)', padding: 20, textAlign: 'center' }}
        >
          <p style={{ margin: '0 0 8px' }}>{file ? `${file.name} · ${(file.size / 1024).toFixed(1)} KB` : 'Drop a CSV file here, or'}</p>
          <Button onPress={() => inputRef.current?.click()}>{file ? 'Choose another file' : 'Choose a file'}</Button>
          <input
            id="import-file"
            ref={inputRef}
            type="file"
            hidden
            aria-label="CSV file"
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </div>
        <div className="field-row">
          <SelectField label="Seller" value={sellerId} onChange={(e) => setSellerId(e.target.value)}>
            {(sellers.data?.items ?? []).map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <SelectField label="When a row is wrong" value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
            <option value="valid-rows">Import the good rows, report the bad ones</option>
            <option value="all-or-nothing">Import nothing (all or nothing)</option>
          </SelectField>
        </div>
        {busy === 'preview' ? <p role="status">Reading the first rows…</p> : null}
      </div>

      {preview ? (
        <div className="panel" style={{ display: 'grid', gap: 12, marginTop: 12 }} aria-labelledby="preview-title">
          <h2 id="preview-title">2. The first rows as read</h2>
          <p className="sub" data-testid="preview-meta">
            Separated by {DELIMITER_NAME[preview.delimiter ?? ','] ?? preview.delimiter} · line ends {preview.linebreak?.toUpperCase() ?? '—'} · {preview.encoding.toUpperCase()}
          </p>
          <div style={{ overflowX: 'auto' }}>
            <table className="table" data-testid="preview-table">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  {preview.header.map((h, i) => (
                    <th scope="col" key={i}>
                      {h}
                    </th>
                  ))}
                  <th scope="col">Problems</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    {preview.header.map((_, i) => (
                      <td key={i}>{r.cells[i] ?? ''}</td>
                    ))}
                    <td>{r.errors.join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2 id="mapping-title">3. Which column is which</h2>
          <div className="field-row" role="group" aria-labelledby="mapping-title">
            {IMPORT_FIELDS.map((f) => (
              <SelectField key={f} label={FIELD_LABEL[f]} value={mapping[f] ?? ''} onChange={(e) => void remap(f, e.target.value)} error={mapping[f] ? undefined : 'Pick a column'}>
                <option value="">—</option>
                {preview.header.map((h, i) => (
                  <option key={i} value={h.trim()}>
                    {h}
                  </option>
                ))}
              </SelectField>
            ))}
          </div>
          <div className="field-row">
            <Button onPress={() => void validate()} isDisabled={missing.length > 0 || busy !== null}>
              {busy === 'check' ? 'Checking every row…' : 'Check the whole file'}
            </Button>
          </div>
        </div>
      ) : null}

      {check ? (
        <div className="panel" style={{ display: 'grid', gap: 12, marginTop: 12 }} aria-labelledby="check-title" data-testid="validation-summary">
          <h2 id="check-title">4. Check</h2>
          <p className={`notice ${check.rowsRejected === 0 ? 'notice-ok' : 'notice-warn'}`}>
            {check.rowsRead} rows read: {check.rowsImported} good ({check.ticketsCreated} tickets), {check.rowsRejected} with problems.
            {check.rowsRejected > 0 && mode === 'all-or-nothing' ? ' In all-or-nothing mode nothing would be imported.' : ''}
          </p>
          {check.duplicateOf !== null ? (
            <p className="notice notice-warn" role="alert">
              This seller already imported this exact file (batch {check.duplicateOf}); importing it again adds every listing a second time.
            </p>
          ) : null}
          {check.rejected.length > 0 ? (
            <>
              <table className="table" data-testid="bad-rows">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Problems</th>
                  </tr>
                </thead>
                <tbody>
                  {check.rejected.slice(0, 200).map((r) => (
                    <tr key={r.line}>
                      <td>{r.line}</td>
                      <td>{r.errors.join('; ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="field-row">
                <Button onPress={() => download(rejectedCsv(check.rejected), `${file!.name.replace(/\.\w+$/, '')}-problems.csv`)}>Download the problems (CSV)</Button>
              </div>
            </>
          ) : null}
          <div className="field-row">
            <Button variant="primary" onPress={() => void runImport(check.duplicateOf !== null)} isDisabled={busy !== null || check.rowsImported === 0}>
              {check.duplicateOf !== null ? `Import ${check.rowsImported} rows again` : `Import ${check.rowsImported} rows`}
            </Button>
          </div>
        </div>
      ) : null}

      {busy === 'import' ? (
        <div className="panel" style={{ display: 'grid', gap: 8, marginTop: 12 }} data-testid="import-progress">
          <h2>Importing…</h2>
          <progress max={1} value={frac} aria-label="Import progress" style={{ width: '100%', height: 24 }} />
          <p role="status">
            {running?.batch?.phase === 'publishing' ? `Publishing ${running.batch.rowsPublished} of ${running.batch.rowsImported} rows` : `${rowsDone} rows read`}
            {rate > 0 ? ` · ${rate} rows/s` : ''}
            {eta !== null ? ` · about ${seconds(eta)} left` : ''}
          </p>
          <div className="field-row">
            <Button onPress={() => void cancel()} isDisabled={!running?.batch || running.batch.cancelRequested}>
              {running?.batch?.cancelRequested ? 'Cancelling…' : 'Cancel'}
            </Button>
          </div>
        </div>
      ) : null}

      {error ? (
        <div style={{ marginTop: 12 }}>
          <ErrorNotice error={error} />
          {duplicate && check ? (
            <div className="field-row" style={{ marginTop: 8 }}>
              <Button onPress={() => void runImport(true)}>Import it again anyway</Button>
            </div>
          ) : null}
        </div>
      ) : null}

      {result ? (
        <div className="panel" style={{ display: 'grid', gap: 12, marginTop: 12 }} aria-labelledby="result-title" data-testid="import-result">
          <h2 id="result-title">5. Result</h2>
          <p className={`notice ${result.status === 'completed' ? 'notice-ok' : 'notice-warn'}`}>
            {result.status === 'completed'
              ? `Batch ${result.batchId}: imported ${result.rowsImported} of ${result.rowsRead} rows, ${result.ticketsCreated} tickets; ${result.rowsRejected} rejected.`
              : (result.message ?? `The import ${result.status}.`)}
          </p>
          {result.byEvent.length > 0 ? (
            <ul>
              {result.byEvent.map((e) => (
                <li key={e.eventId}>
                  <a href={href(`/events/${e.eventId}`)}>
                    Event {e.eventId}: {e.rows} listings, {e.tickets} tickets
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
          {result.rowsRejected > 0 && result.batchId !== null ? (
            <div className="field-row">
              <Button onPress={() => void downloadRejected(result.batchId!)}>Download the rejected rows (CSV)</Button>
            </div>
          ) : null}
        </div>
      ) : null}

      <div className="panel" style={{ marginTop: 12 }} aria-labelledby="batches-title">
        <h2 id="batches-title">Recent imports</h2>
        <table className="table" data-testid="batches">
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">File</th>
              <th scope="col">Seller</th>
              <th scope="col">By</th>
              <th scope="col">Status</th>
              <th scope="col">Rows</th>
              <th scope="col">Tickets</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(batches.data?.items ?? []).map((b) => (
              <tr key={b.id}>
                <td>{b.id}</td>
                <td>{b.fileName ?? '—'}</td>
                <td>{b.sellerName}</td>
                <td>{b.importedBy ?? '—'}</td>
                <td>{b.status.replace('_', ' ')}</td>
                <td>
                  {b.rowsImported}/{b.rowsRead}
                </td>
                <td>{b.ticketsCreated}</td>
                <td>
                  {b.status === 'completed' ? (
                    <Button variant="link" onPress={() => void rollback(b.id)} aria-label={`Roll back batch ${b.id}`}>
                      Roll back
                    </Button>
                  ) : null}
                  {b.rowsRejected > 0 ? (
                    <Button variant="link" onPress={() => void downloadRejected(b.id)} aria-label={`Rejected rows of batch ${b.id}`}>
                      Rejected rows
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
