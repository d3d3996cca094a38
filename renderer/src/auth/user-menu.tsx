import { ROLE_LABELS } from '../../../shared/auth/roles.js';
import { Button } from '../components/ui.js';
import { useAuth } from './auth-context.js';

/** Who is signed in, and the way out: sign out, or hand the till to the next clerk. */
export function UserMenu() {
  const { user, signOut } = useAuth();
  if (!user) return null;
  return (
    <div className="user-menu" aria-label="Signed in user">
      <span className="user-name">
        {user.displayName} <span className="user-role">{ROLE_LABELS[user.role]}</span>
      </span>
      <Button variant="link" onPress={() => void signOut('pin')}>
        Switch user
      </Button>
      <Button onPress={() => void signOut('password')}>Sign out</Button>
    </div>
  );
}
