import { useQueryClient } from '@tanstack/react-query';
import { ErrorNotice } from '../components/error-notice.js';
import { Button } from '../components/ui.js';
import { useOpMutation } from '../client/index.js';
import { useAuth } from './auth-context.js';

/**
 * Undo a sale: "Void" for the clerk's own cash sale within the void window (the server checks the
 * rules and says which one failed), "Refund" for organizers and admins.
 */
export function OrderActions({ code, status }: { code: string; status: string }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['getOrder'] });
    void qc.invalidateQueries({ queryKey: ['listOrders'] });
  };
  const voidSale = useOpMutation('voidOrder', { onSuccess: done });
  const refund = useOpMutation('refundOrder', { onSuccess: done });
  if (status !== 'completed') {
    return (
      <div className="notice notice-warn no-print" role="status" data-testid="order-status">
        This order is {status}; its tickets are back on sale.
      </div>
    );
  }
  if (!can('sell') && !can('refund')) return null;
  return (
    <div className="actions no-print">
      {can('sell') ? (
        <Button onPress={() => voidSale.mutate({ code })} isDisabled={voidSale.isPending}>
          Void sale
        </Button>
      ) : null}
      {can('refund') ? (
        <Button onPress={() => refund.mutate({ code })} isDisabled={refund.isPending}>
          Refund
        </Button>
      ) : null}
      <ErrorNotice error={voidSale.error ?? refund.error} title="Not done." />
    </div>
  );
}
