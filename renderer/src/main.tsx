/** Entry point: pick the transport, start i18n in the remembered language, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { initI18n, rememberedLanguage } from './i18n/i18n';
import { pickDeskClient } from './lib/desk-client';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

initI18n(rememberedLanguage());
createRoot(root).render(
  <StrictMode>
    <App client={pickDeskClient(window)} />
  </StrictMode>,
);
