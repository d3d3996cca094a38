import { useState, type FormEvent } from 'react';
import { useOpMutation } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button } from '../components/ui.js';

/** The signed-in user's own password: the current one again, the new one twice (a typo here would lock them out). */
export function OwnPasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useOpMutation('changeOwnPassword', {
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setAgain('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(next !== again);
    if (next !== again) return;
    change.mutate({ currentPassword: current, newPassword: next });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="own-password-title">
      <h2 id="own-password-title">Your password</h2>
      <div className="field-row">
        <div className="field">
          <label htmlFor="pw-current">Current password</label>
          <input id="pw-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="pw-new">New password (10 characters or more)</label>
          <input id="pw-new" type="password" autoComplete="new-password" minLength={10} value={next} onChange={(e) => setNext(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="pw-again">New password again</label>
          <input id="pw-again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} required />
        </div>
        <Button type="submit" variant="primary" isDisabled={change.isPending}>
          Change password
        </Button>
      </div>
      {mismatch ? (
        <div className="notice notice-error" role="alert">
          The two new passwords differ.
        </div>
      ) : null}
      <ErrorNotice error={change.error} />
      {change.isSuccess ? (
        <div className="notice notice-ok" role="status">
          Password changed.
        </div>
      ) : null}
    </form>
  );
}
