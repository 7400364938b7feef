// The notes list, a new note, and a note's detail/edit page.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { describeApiError } from './errors.js';
import { createNote, deleteNote, getNote, listNotes, updateNote } from './notes.js';
import { attachmentUrl, MAX_ATTACHMENT_BYTES, removeAttachment, uploadAttachment } from './attachments.js';
import { Alert, Card, Spinner, SubmitButton, displayName } from './ui.jsx';

/** The API's limit on a note's content: 64 KiB of UTF-8 (docs/notes-api.md), counted the same way here. */
const MAX_CONTENT_BYTES = 64 * 1024;
const UTF8 = new TextEncoder();

function utf8Bytes(text) {
  return UTF8.encode(text).length;
}

/**
 * A counter for the requests a page makes: `begin()` returns a check that stays true only while no newer request
 * has begun, so a slow, stale response never overwrites a newer one.
 */
function useLatest() {
  const latest = useRef(0);
  return useCallback(() => {
    latest.current += 1;
    const mine = latest.current;
    return () => mine === latest.current;
  }, []);
}

function formatDate(ms) {
  if (!ms) return '';
  return new Date(Number(ms)).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function firstLine(content) {
  const line = (content ?? '').trim().split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 117)}…` : line || '(empty note)';
}

/** The rest of the note after its first line, on one line, for the list. */
function preview(content) {
  const rest = (content ?? '').trim().split('\n').slice(1).join(' ').trim();
  return rest.length > 140 ? `${rest.slice(0, 137)}…` : rest;
}

function PaperclipIcon() {
  return (
    <svg viewBox="0 0 24 24" width="13" height="13" aria-hidden="true" focusable="false">
      <path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5" fill="none"
        stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/** A page of notes, `{ page }`, or what to say about the failure, `{ error }`. */
async function pageOrError(from) {
  try {
    return { page: await listNotes(from) };
  } catch (caught) {
    console.warn('listing notes failed', caught);
    return { error: await describeApiError(caught, 'load your notes', 'This server has no notes API yet.') };
  }
}

/** The note, `{ note }`, or what to say about the failure, `{ error }`. */
async function noteOrError(id) {
  try {
    return { note: await getNote(id) };
  } catch (caught) {
    console.warn('loading the note failed', caught);
    return { error: await describeApiError(caught, 'load this note') };
  }
}

export function NotesListPage() {
  const [notes, setNotes] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [status, setStatus] = useState('loading');
  const [error, setError] = useState('');
  const begin = useLatest();

  const show = useCallback((from, outcome) => {
    if (outcome.error) {
      setError(outcome.error);
    } else {
      setNotes((shown) => (from ? [...shown, ...outcome.page.items] : outcome.page.items));
      setCursor(outcome.page.cursor);
    }
    setStatus('idle');
  }, []);

  const fetchAndShow = useCallback((from) => {
    const current = begin();
    pageOrError(from).then((outcome) => current() && show(from, outcome));
  }, [begin, show]);

  function load(from) {
    setStatus(from ? 'more' : 'loading');
    setError('');
    fetchAndShow(from);
  }

  useEffect(() => {
    fetchAndShow(null); // the first page; status starts as 'loading'
  }, [fetchAndShow]);

  return (
    <Card wide>
      <div className="page-head">
        <h1 className="card-title">Your notes</h1>
        <Link to="/notes/new" className="button button-primary" data-testid="new-note">+ New note</Link>
      </div>
      <Alert testId="error">
        {error}
        {error && (
          <div className="alert-actions">
            <button type="button" className="button button-small button-quiet" onClick={() => load(null)}>
              Try again
            </button>
          </div>
        )}
      </Alert>
      {status === 'loading' ? (
        <Spinner label="Loading your notes…" />
      ) : error && notes.length === 0 ? null : notes.length === 0 ? (
        <div className="empty">
          <p>You have no notes yet.</p>
          <Link to="/notes/new" className="text-link">Write your first note</Link>
        </div>
      ) : (
        <ul className="note-list" data-testid="note-list">
          {notes.map((note) => (
            <li key={note.noteId}>
              <Link to={`/notes/${note.noteId}`} className="note-row" data-testid="note-row">
                <span className="note-text">
                  <span className="note-title">{firstLine(note.content)}</span>
                  {preview(note.content) && <span className="note-preview">{preview(note.content)}</span>}
                </span>
                <span className="note-meta">
                  {note.attachment && (
                    <span className="chip" title={displayName(note.attachment)}><PaperclipIcon /> attachment</span>
                  )}
                  <span>{formatDate(note.createdAt)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <div className="more">
          <button type="button" className="button button-quiet" onClick={() => load(cursor)} disabled={status === 'more'}>
            {status === 'more' ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </Card>
  );
}

/** The content textarea and file input shared by the new and edit pages. */
function NoteForm({ content, setContent, file, setFile, attachmentsEnabled, current, children, onSubmit }) {
  const fileInput = useRef(null);
  return (
    <form onSubmit={onSubmit} noValidate>
      <div className="field">
        <label htmlFor="content">Note</label>
        <textarea id="content" name="content" rows={8} value={content}
          onChange={(e) => setContent(e.target.value)} placeholder="Write something…" autoFocus />
        <p className="hint" data-testid="content-size">
          {utf8Bytes(content).toLocaleString()} / {MAX_CONTENT_BYTES.toLocaleString()} bytes (64 KiB)
        </p>
      </div>
      {attachmentsEnabled ? (
        <div className="field">
          <label htmlFor="file">{current ? 'Replace attachment' : 'Attachment'}</label>
          <input id="file" name="file" type="file" ref={fileInput}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <p className="hint">
            {file ? `${file.name} (${Math.ceil(file.size / 1024)} KB) will be uploaded.` : 'Optional, up to 5 MB.'}
          </p>
        </div>
      ) : (
        <p className="hint">Attachments are not available on this server.</p>
      )}
      {children}
    </form>
  );
}

function checkInput(content, file) {
  if (!content.trim()) return 'Write something in the note first.';
  if (utf8Bytes(content) > MAX_CONTENT_BYTES) return 'The note is too long: it may hold up to 64 KiB of text.';
  if (file && file.size > MAX_ATTACHMENT_BYTES) return 'Pick a file smaller than 5 MB.';
  return '';
}

export function NewNotePage({ config }) {
  const navigate = useNavigate();
  const [content, setContent] = useState('');
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');

  async function submit(event) {
    event.preventDefault();
    const problem = checkInput(content, file);
    if (problem) {
      setError(problem);
      return;
    }
    setError('');
    try {
      let attachment = null;
      if (file) {
        setBusy('Uploading attachment…');
        attachment = await uploadAttachment(file);
      }
      setBusy('Saving…');
      const note = await createNote({ content, attachment });
      navigate(note?.noteId ? `/notes/${note.noteId}` : '/notes', { state: { saved: 'Note created.' } });
    } catch (caught) {
      console.warn('creating the note failed', caught);
      setError(await describeApiError(caught, 'save the note'));
      setBusy('');
    }
  }

  return (
    <Card title="New note" wide>
      <NoteForm content={content} setContent={setContent} file={file} setFile={setFile} onSubmit={submit}
        attachmentsEnabled={Boolean(config.attachmentsBucket)}>
        <Alert testId="error">{error}</Alert>
        <div className="actions">
          <SubmitButton busy={Boolean(busy)} busyLabel={busy}>Create note</SubmitButton>
          <Link to="/notes" className="button button-quiet">Cancel</Link>
        </div>
      </NoteForm>
    </Card>
  );
}

export function NotePage({ config }) {
  const { id } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const begin = useLatest();
  const [note, setNote] = useState(null);
  const [content, setContent] = useState('');
  const [file, setFile] = useState(null);
  const [link, setLink] = useState({ attachment: null, url: '' });
  const [status, setStatus] = useState('loading');
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState(location.state?.saved ?? '');

  const show = useCallback((outcome) => {
    if (outcome.error) {
      setError(outcome.error);
      setStatus('failed');
    } else {
      setNote(outcome.note);
      setContent(outcome.note.content ?? '');
      setStatus('ready');
    }
  }, []);

  const fetchAndShow = useCallback(() => {
    const current = begin();
    noteOrError(id).then((outcome) => current() && show(outcome));
  }, [id, begin, show]);

  function load() {
    setStatus('loading');
    setError('');
    fetchAndShow();
  }

  useEffect(() => {
    fetchAndShow(); // on mount and when the id changes; the newest answer wins
  }, [fetchAndShow]);

  useEffect(() => {
    let live = true;
    const attachment = note?.attachment;
    if (attachment && config.attachmentsBucket) {
      attachmentUrl(attachment).then((url) => live && setLink({ attachment, url }))
        .catch((caught) => console.warn('no download link', caught));
    }
    return () => {
      live = false;
    };
  }, [note?.attachment, config.attachmentsBucket]);
  const shownLink = note?.attachment && link.attachment === note.attachment ? link.url : '';

  async function save(event) {
    event.preventDefault();
    const problem = checkInput(content, file);
    if (problem) {
      setError(problem);
      return;
    }
    setError('');
    setNotice('');
    try {
      let attachment = note.attachment ?? null;
      if (file) {
        setBusy('Uploading attachment…');
        attachment = await uploadAttachment(file);
      }
      setBusy('Saving…');
      await updateNote(id, { content, attachment });
      if (file && note.attachment) {
        await removeAttachment(note.attachment).catch((caught) => console.warn('old attachment kept', caught));
      }
      setNote({ ...note, content, attachment });
      setFile(null);
      setNotice('Saved.');
    } catch (caught) {
      console.warn('saving the note failed', caught);
      setError(await describeApiError(caught, 'save the note'));
    } finally {
      setBusy('');
    }
  }

  async function remove() {
    if (!window.confirm('Delete this note and its attachment? This cannot be undone.')) return;
    setError('');
    setNotice('');
    setBusy('Deleting…');
    try {
      await deleteNote(id);
      // The API deletes the attachment too; removing it here as well is harmless and covers an older server.
      if (note.attachment && config.attachmentsBucket) {
        await removeAttachment(note.attachment).catch((caught) => console.warn('attachment not removed', caught));
      }
      navigate('/notes', { replace: true });
    } catch (caught) {
      console.warn('deleting the note failed', caught);
      setError(await describeApiError(caught, 'delete the note'));
      setBusy('');
    }
  }

  if (status === 'loading') {
    return <Card wide><Spinner label="Loading the note…" /></Card>;
  }
  if (status === 'failed') {
    return (
      <Card title="Note" wide>
        <Alert testId="error">{error}</Alert>
        <div className="actions">
          <button type="button" className="button button-quiet" onClick={load}>Try again</button>
          <Link to="/notes" className="button button-quiet">Back to your notes</Link>
        </div>
      </Card>
    );
  }
  return (
    <Card wide>
      <div className="page-head">
        <h1 className="card-title">Edit note</h1>
        <span className="note-meta">Created {formatDate(note.createdAt)}</span>
      </div>
      {note.attachment && (
        <p className="attachment">
          <span className="attachment-label">Attachment</span>
          {shownLink ? (
            <a href={shownLink} target="_blank" rel="noreferrer" className="text-link" data-testid="attachment-link">
              {displayName(note.attachment)}
            </a>
          ) : (
            <span>{displayName(note.attachment)}</span>
          )}
        </p>
      )}
      <NoteForm content={content} setContent={setContent} file={file} setFile={setFile} onSubmit={save}
        current={note.attachment} attachmentsEnabled={Boolean(config.attachmentsBucket)}>
        <Alert kind="success" testId="notice">{notice}</Alert>
        <Alert testId="error">{error}</Alert>
        <div className="actions">
          <SubmitButton busy={busy === 'Saving…' || busy === 'Uploading attachment…'} busyLabel={busy}
            disabled={Boolean(busy)}>Save</SubmitButton>
          <button type="button" className="button button-danger" onClick={remove} disabled={Boolean(busy)}>
            {busy === 'Deleting…' ? 'Deleting…' : 'Delete'}
          </button>
          <Link to="/notes" className="button button-quiet push-right">Back</Link>
        </div>
      </NoteForm>
    </Card>
  );
}
