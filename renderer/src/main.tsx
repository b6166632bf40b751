import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { connectToMain } from './bridge';
import { createI18n, pickLanguage, preferredLanguages, syncDocumentLanguage } from './i18n';
import { createAppStore } from './store/app-store';
import './styles/app.css';

const i18n = createI18n(pickLanguage(preferredLanguages(navigator)));
syncDocumentLanguage(i18n);

const client = connectToMain();
const store = createAppStore(client, {
  isThreadVisible: () => document.visibilityState === 'visible' && document.hasFocus(),
});

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App store={store} client={client} i18n={i18n} />
  </StrictMode>,
);
