import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The shared look first: page stylesheets imported by the pages refine it.
import './styles.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
