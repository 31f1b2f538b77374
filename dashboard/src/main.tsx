import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { ApiProvider } from './api/ApiContext';
import { createApi } from './api/client';
import { App } from './App';
import { createQueryClient } from './queryClient';
import './styles.css';

const client = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider api={createApi()}>
      <QueryClientProvider client={client}>
        <Router base="/dashboard">
          <App />
        </Router>
      </QueryClientProvider>
    </ApiProvider>
  </StrictMode>,
);
