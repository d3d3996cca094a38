import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useClient } from '../client/index.js';
import { plainError } from '../components/error-notice.js';
import { Button, Segmented } from '../components/ui.js';
import { useAuth } from './auth-context.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/** Sign-in: username + password, or username + PIN on a big keypad for the kiosk. */
export function SignInScreen({ initialMode = 'pin', locked = false }: { initialMode?: 'password' | 'pin'; locked?: boolean }) {
  const client = useClient();
  const { signedIn } = useAuth();
  const [mode, setMode] = useState<'password' | 'pin'>(initialMode);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);

  useEffect(() => userRef.current?.focus(), []);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await client.signIn(mode === 'pin' ? { username, pin } : { username, password });
      setPassword('');
      setPin('');
      await signedIn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      setError(code === 'UNAUTHORIZED' ? (err as Error).message : code === 'TOO_MANY_REQUESTS' ? (err as Error).message : plainError(err));
      setPin('');
    } finally {
      setBusy(false);
    }
  };

  const press = (k: (typeof KEYS)[number]) => {
    if (k === 'clear') setPin('');
    else if (k === 'back') setPin((p) => p.slice(0, -1));
    else setPin((p) => (p.length < 8 ? p + k : p));
  };

  return (
    <main className="signin" id="main">
      <form className="panel signin-panel" onSubmit={submit} aria-labelledby="signin-title">
        <div className="brand signin-brand">
          <span className="brand-mark" aria-hidden="true">▮</span> Marquee
        </div>
        <h1 id="signin-title">{locked ? 'Locked — sign in to continue' : 'Sign in'}</h1>
        <Segmented
          label="Sign in with"
          value={mode}
          onChange={(m) => {
            setMode(m);
            setError(null);
          }}
          options={[
            { value: 'pin', label: 'PIN' },
            { value: 'password', label: 'Password' },
          ]}
        />
        <div className="field">
          <label htmlFor="signin-username">Username</label>
          <input id="signin-username" ref={userRef} autoComplete="username" autoCapitalize="none" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </div>
        {mode === 'password' ? (
          <div className="field">
            <label htmlFor="signin-password">Password</label>
            <input id="signin-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </div>
        ) : (
          <div className="field">
            <label htmlFor="signin-pin">PIN</label>
            <input
              id="signin-pin"
              className="pin-display"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              value={pin}
              onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
            />
            <div className="pin-pad" role="group" aria-label="PIN keypad">
              {KEYS.map((k) => (
                <Button key={k} big className="pin-key" aria-label={k === 'clear' ? 'Clear PIN' : k === 'back' ? 'Delete last digit' : `Digit ${k}`} onPress={() => press(k)}>
                  {k === 'clear' ? 'Clear' : k === 'back' ? '⌫' : k}
                </Button>
              ))}
            </div>
          </div>
        )}
        {error ? (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        ) : null}
        <Button type="submit" variant="primary" big isDisabled={busy || !username || (mode === 'pin' ? pin.length < 4 : !password)}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
