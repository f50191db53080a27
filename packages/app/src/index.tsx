import ReactDOM from 'react-dom/client';
import App from './App';
// Styles of Backstage UI, which the new frontend system's app shell and plugins use.
import '@backstage/ui/css/styles.css';

ReactDOM.createRoot(document.getElementById('root')!).render(App);
