import { useState } from 'react';
import Alert from '../../../components/ui/Alert.jsx';
import LoadError from '../../../components/ui/LoadError.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import { rowsOf } from '../../../lib/apiClient.js';
import useLoad from '../../../lib/useLoad.js';
import useSubmit from '../../../lib/useSubmit.js';
import useTitle from '../../../lib/useTitle.js';
import {
  cancelRecurring,
  createRecurring,
  listRecurring,
  pauseRecurring,
  resumeRecurring,
  updateRecurring,
} from '../api/recurringService.js';
import RecurringForm from '../components/RecurringForm.jsx';
import RecurringTable from '../components/RecurringTable.jsx';

/** Recurring invoices: the list, a create/edit form, pause, resume and cancel. */
export default function RecurringPage() {
  useTitle('Recurring invoices');
  const { loading, data, error, reload } = useLoad(() => listRecurring(), []);
  const [editing, setEditing] = useState(null); // null: no form; {}: new; a template: edit
  const action = useSubmit();
  const templates = data ? rowsOf(data) : [];

  const save = async (body) => {
    if (editing?.id) await updateRecurring(editing.id, body);
    else await createRecurring(body);
    setEditing(null);
    await reload();
  };
  const act = (call) => (template) =>
    action.run(async () => {
      await call(template.id);
      await reload();
    });
  const cancel = (template) => {
    if (window.confirm(`Stop billing ${template.client_name}? Invoices already issued are kept.`)) act(cancelRecurring)(template);
  };

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Recurring invoices</h1>
        {!editing && (
          <button className="btn btn-primary" type="button" onClick={() => setEditing({})}>
            New recurring invoice
          </button>
        )}
      </div>
      {editing && (
        <RecurringForm key={editing.id || 'new'} template={editing.id ? editing : null} onSave={save} onCancel={() => setEditing(null)} />
      )}
      {action.error && <Alert kind="danger" title="That did not work">{action.error.message}</Alert>}
      {loading && !data && <Loading label="Loading recurring invoices…" />}
      {error && <LoadError title="Could not load recurring invoices" error={error} onRetry={reload} />}
      {data && templates.length === 0 && !editing && (
        <div className="card empty">
          <h2 className="section-title">No recurring invoices yet</h2>
          <p className="muted">Bill a retainer every month: each period an invoice is issued and sent by itself.</p>
        </div>
      )}
      {templates.length > 0 && (
        <RecurringTable
          templates={templates}
          busy={Boolean(action.busy)}
          onEdit={setEditing}
          onPause={act(pauseRecurring)}
          onResume={act(resumeRecurring)}
          onCancel={cancel}
        />
      )}
    </>
  );
}
