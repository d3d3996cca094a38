import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/auth/roles.js';
import type { OpOutput } from '../../../shared/operations/index.js';
import { useOp, useOpMutation } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button, SelectField } from '../components/ui.js';

type User = OpOutput<'createUser'>;

function CreateUser() {
  const qc = useQueryClient();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [password, setPassword] = useState('');
  const [pin, setPin] = useState('');
  const [sellerId, setSellerId] = useState('');
  const sellers = useOp('listSellers', {});
  const create = useOpMutation('createUser', {
    onSuccess: () => {
      setUsername('');
      setDisplayName('');
      setPassword('');
      setPin('');
      void qc.invalidateQueries({ queryKey: ['listUsers'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      username,
      displayName,
      role,
      ...(password ? { password } : {}),
      ...(pin ? { pin } : {}),
      ...(role === 'seller' && sellerId ? { sellerId: Number(sellerId) } : {}),
    });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="new-user-title">
      <h2 id="new-user-title">New account</h2>
      <div className="field-row">
        <div className="field">
          <label htmlFor="nu-username">Username</label>
          <input id="nu-username" value={username} onChange={(e) => setUsername(e.target.value)} autoCapitalize="none" required />
        </div>
        <div className="field">
          <label htmlFor="nu-name">Full name</label>
          <input id="nu-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
        </div>
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </SelectField>
        {role === 'seller' ? (
          <SelectField label="Seller" value={sellerId} onChange={(e) => setSellerId(e.target.value)}>
            <option value="">Choose…</option>
            {sellers.data?.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
        ) : null}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="nu-password">Password (10+ characters)</label>
          <input id="nu-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="nu-pin">Kiosk PIN (4–8 digits)</label>
          <input id="nu-pin" type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} />
        </div>
        <Button type="submit" variant="primary" isDisabled={create.isPending}>
          Create account
        </Button>
      </div>
      <ErrorNotice error={create.error} title="Not created." />
      {create.data ? (
        <div className="notice notice-ok" role="status">
          Created {create.data.username} ({ROLE_LABELS[create.data.role]}).
        </div>
      ) : null}
    </form>
  );
}

function UserRow({ u }: { u: User }) {
  const qc = useQueryClient();
  const [pin, setPin] = useState('');
  const [resetting, setResetting] = useState(false);
  const update = useOpMutation('updateUser', {
    onSuccess: () => {
      setResetting(false);
      setPin('');
      void qc.invalidateQueries({ queryKey: ['listUsers'] });
    },
  });
  return (
    <tr>
      <td>{u.username}</td>
      <td>{u.displayName}</td>
      <td>
        <select aria-label={`Role of ${u.username}`} value={u.role} onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </td>
      <td>{u.active ? 'Active' : 'Deactivated'}</td>
      <td>{[u.hasPassword ? 'password' : null, u.hasPin ? 'PIN' : null].filter(Boolean).join(' + ')}</td>
      <td>{u.lastSignInAt ? new Date(u.lastSignInAt).toLocaleString() : 'never'}</td>
      <td className="actions">
        {resetting ? (
          <form
            className="actions"
            onSubmit={(e) => {
              e.preventDefault();
              update.mutate({ id: u.id, pin });
            }}
          >
            <input aria-label={`New PIN for ${u.username}`} inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} size={8} />
            <Button type="submit" variant="primary" isDisabled={pin.length < 4}>
              Save PIN
            </Button>
          </form>
        ) : (
          <Button onPress={() => setResetting(true)}>Reset PIN</Button>
        )}
        <Button onPress={() => update.mutate({ id: u.id, active: !u.active })}>{u.active ? 'Deactivate' : 'Activate'}</Button>
        {update.error ? <ErrorNotice error={update.error} /> : null}
      </td>
    </tr>
  );
}

/** Admins: staff accounts, roles, PIN resets. */
export function UsersScreen() {
  const users = useOp('listUsers', {});
  return (
    <section className="screen">
      <div className="screen-head">
        <h1>Users</h1>
        <span className="muted">Staff accounts and what each role may do</span>
      </div>
      <CreateUser />
      <ErrorNotice error={users.error} />
      <div className="panel">
        <table className="table">
          <thead>
            <tr>
              <th>Username</th>
              <th>Name</th>
              <th>Role</th>
              <th>Status</th>
              <th>Signs in with</th>
              <th>Last sign-in</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.items.map((u) => (
              <UserRow key={u.id} u={u} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
