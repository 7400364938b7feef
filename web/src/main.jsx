import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App.jsx';
import { configureAmplify } from './config.js';
import './styles.css';

const root = createRoot(document.getElementById('root'));

configureAmplify()
  .then((config) => {
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    );
  })
  .catch((error) => {
    root.render(
      <main className="content">
        <section className="card">
          <h1 className="card-title">Gatehouse Notes cannot start</h1>
          <div className="alert alert-error" role="alert">{error.message}</div>
          <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
            Try again
          </button>
        </section>
      </main>,
    );
  });
