import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { OpOutput } from '../../../shared/operations/index.js';
import { useOp, useOpMutation } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button } from '../components/ui.js';

type Status = OpOutput<'getStoreSettings'>;
type Verdict = OpOutput<'testStoreConnection'>;

const SOURCE: Record<Status['source'], string> = {
  settings: 'saved in this app’s settings',
  'command line': 'the command line (marquee serve --db …)',
  environment: 'the environment (MARQUEE_DATABASE_URL)',
  default: 'the default (nothing configured)',
};

/** The verdict's kind in a word, beside the server's plain-words message. */
const VERDICT_LABEL: Record<Verdict['problem'], string> = {
  embedded: 'Embedded database',
  'not-postgres-url': 'Not a PostgreSQL URL',
  unreachable: 'Unreachable',
  'auth-failed': 'Wrong user or password',
  'database-missing': 'No such database',
  empty: 'Empty database (ready)',
  current: 'Ready: this version’s schema',
  'older-schema': 'Older Marquee schema',
  'newer-schema': 'Newer Marquee schema',
  foreign: 'Not a Marquee database',
  failed: 'Failed',
};

/**
 * Admins only (issue 15): which database this box office uses, a Test connection that says in plain
 * words what is at a URL, and Save (applies at the next start). Under `marquee serve` the database is
 * the command line's: the panel says so and offers no Save.
 */
export function StoreSettingsPanel() {
  const settings = useOp('getStoreSettings', {});
  const qc = useQueryClient();
  const [url, setUrl] = useState('');
  const [touched, setTouched] = useState(false);
  const s = settings.data;
  useEffect(() => {
    if (s && !touched) setUrl(s.editable ? (s.savedUrl ?? s.databaseUrl ?? '') : (s.databaseUrl ?? ''));
  }, [s, touched]);
  const test = useOpMutation('testStoreConnection');
  const save = useOpMutation('setStoreSettings', {
    onSuccess: (next) => {
      qc.setQueryData(['getStoreSettings', {}], next);
      setTouched(false);
    },
  });
  const editable = s?.editable ?? false;
  const verdict = test.data;

  return (
    <form
      className="panel store-settings"
      aria-labelledby="store-title"
      data-testid="store-settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (editable) save.mutate({ databaseUrl: url });
      }}
    >
      <h2 id="store-title">Shared database</h2>
      <ErrorNotice error={settings.error} />
      {s ? (
        <dl data-testid="store-current">
          <dt>In use now</dt>
          <dd data-testid="store-engine">{s.engine === 'postgres' ? 'PostgreSQL (shared server)' : 'Embedded (SQLite, this computer only)'}</dd>
          <dt>Where</dt>
          <dd data-testid="store-location">{s.location}</dd>
          {s.databaseUrl ? (
            <>
              <dt>URL</dt>
              <dd>
                <code data-testid="store-url">{s.databaseUrl}</code>
              </dd>
            </>
          ) : null}
          <dt>Set by</dt>
          <dd data-testid="store-source">{SOURCE[s.source]}</dd>
          {s.editable ? (
            <>
              <dt>Saved for next start</dt>
              <dd data-testid="store-saved">{s.savedUrl ? <code>{s.savedUrl}</code> : 'Embedded database'}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {s && !s.editable ? (
        <div className="notice notice-warn" role="note" data-testid="store-readonly">
          <strong>Read only here.</strong> {s.message}. Saving is not possible on this terminal (the server refuses it); Test connection still works.
        </div>
      ) : null}
      {s?.restartNeeded ? (
        <div className="notice notice-warn" role="status" data-testid="store-restart">
          {s.message}
        </div>
      ) : null}
      <div className="field-row">
        <div className="field">
          <label htmlFor="store-url-input">Database URL (postgres://USER:PASSWORD@HOST:5432/DATABASE, or empty for the embedded one)</label>
          <input
            id="store-url-input"
            value={url}
            onChange={(e) => {
              setTouched(true);
              setUrl(e.target.value);
              test.reset();
              save.reset();
            }}
            placeholder="postgres://marquee:PASSWORD@db-host:5432/marquee"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <Button isDisabled={test.isPending} onPress={() => test.mutate({ databaseUrl: url })}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </Button>
        <Button type="submit" variant="primary" isDisabled={!editable || save.isPending}>
          Save
        </Button>
      </div>
      <p className="muted">A password shown as **** stands for the one in use (or saved). Saving applies at the next start of the app.</p>
      {verdict ? (
        <div className={`notice ${verdict.ok ? 'notice-ok' : 'notice-error'}`} role="status" data-testid="store-test-result" data-problem={verdict.problem}>
          <strong>{VERDICT_LABEL[verdict.problem]}: </strong>
          {verdict.message}
        </div>
      ) : null}
      <ErrorNotice error={test.error} title="Test connection:" />
      {save.error?.code === 'CONFLICT' ? (
        <div className="notice notice-warn" role="alert" data-testid="store-save-refused">
          Not saved: {save.error.message}
        </div>
      ) : (
        <ErrorNotice error={save.error} title="Not saved:" />
      )}
      {save.isSuccess ? (
        <div className="notice notice-ok" role="status" data-testid="store-saved-note">
          Saved.{save.data.restartNeeded ? ' It applies at the next start of the app.' : ''}
        </div>
      ) : null}
    </form>
  );
}
