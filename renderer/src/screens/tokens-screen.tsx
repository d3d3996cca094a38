import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useOp, useOpMutation } from '../client/index.js';
import { useAuth } from '../auth/auth-context.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button } from '../components/ui.js';
import { OwnPasswordForm } from './own-password-form.js';
import { StoreSettingsPanel } from './store-settings-panel.js';

function SecuritySettings() {
  const settings = useOp('getSecuritySettings', {});
  const qc = useQueryClient();
  const [idle, setIdle] = useState('');
  const [voidWindow, setVoidWindow] = useState('');
  useEffect(() => {
    if (settings.data) {
      setIdle(String(settings.data.idleLockMinutes));
      setVoidWindow(String(settings.data.voidWindowMinutes));
    }
  }, [settings.data]);
  const save = useOpMutation('setSecuritySettings', { onSuccess: () => void qc.invalidateQueries({ queryKey: ['getSecuritySettings'] }) });
  return (
    <form
      className="panel"
      aria-labelledby="security-title"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ idleLockMinutes: Number(idle), voidWindowMinutes: Number(voidWindow) });
      }}
    >
      <h2 id="security-title">Security</h2>
      <div className="field-row">
        <div className="field">
          <label htmlFor="sec-idle">Lock after idle (minutes)</label>
          <input id="sec-idle" inputMode="numeric" value={idle} onChange={(e) => setIdle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="sec-void">Clerk void window (minutes)</label>
          <input id="sec-void" inputMode="numeric" value={voidWindow} onChange={(e) => setVoidWindow(e.target.value)} />
        </div>
        <Button type="submit" variant="primary" isDisabled={save.isPending}>
          Save
        </Button>
      </div>
      <ErrorNotice error={save.error} />
      {save.isSuccess ? (
        <div className="notice notice-ok" role="status">
          Saved.
        </div>
      ) : null}
    </form>
  );
}

/** API tokens of the signed-in user (admins: everyone's): created here, shown once, revoked at once. */
export function TokensScreen() {
  const { user, can } = useAuth();
  const isAdmin = user?.role === 'admin';
  const [all, setAll] = useState(false);
  const [name, setName] = useState('');
  const qc = useQueryClient();
  const tokens = useOp('listApiTokens', { all: isAdmin && all });
  const create = useOpMutation('createApiToken', {
    onSuccess: () => {
      setName('');
      void qc.invalidateQueries({ queryKey: ['listApiTokens'] });
    },
  });
  const revoke = useOpMutation('revokeApiToken', { onSuccess: () => void qc.invalidateQueries({ queryKey: ['listApiTokens'] }) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name });
  };
  return (
    <section className="screen">
      <div className="screen-head">
        <h1>Settings</h1>
        <span className="muted">Your password and API tokens (a token acts as you, with your role)</span>
      </div>
      <form className="panel" onSubmit={submit} aria-labelledby="new-token-title">
        <h2 id="new-token-title">New API token</h2>
        <div className="field-row">
          <div className="field">
            <label htmlFor="token-name">What is it for?</label>
            <input id="token-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. partner website" required />
          </div>
          <Button type="submit" variant="primary" isDisabled={create.isPending || !name.trim()}>
            Create token
          </Button>
        </div>
        <ErrorNotice error={create.error} />
        {create.data ? (
          <div className="notice notice-warn" role="status">
            Copy this token now; it will not be shown again: <code className="token-once">{create.data.token}</code>
          </div>
        ) : null}
      </form>
      <div className="panel">
        <div className="screen-head">
          <h2>Tokens</h2>
          {isAdmin ? (
            <label>
              <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> All users
            </label>
          ) : null}
        </div>
        <ErrorNotice error={tokens.error ?? revoke.error} />
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>User</th>
              <th>Starts with</th>
              <th>Created</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.data?.items.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.username}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{new Date(t.createdAt).toLocaleString()}</td>
                <td>{t.revokedAt ? `Revoked ${new Date(t.revokedAt).toLocaleString()}` : 'Active'}</td>
                <td>
                  {t.revokedAt ? null : (
                    <Button onPress={() => revoke.mutate({ id: t.id })} aria-label={`Revoke ${t.name}`}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {user?.hasPassword ? <OwnPasswordForm /> : null}
      {isAdmin ? <SecuritySettings /> : null}
      {/* The admin permission: an admin, or a desktop window the box office trusts without sign-in. */}
      {can('admin') ? <StoreSettingsPanel /> : null}
    </section>
  );
}
