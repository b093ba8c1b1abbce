// Light and dark themes: the system's choice (prefers-color-scheme) unless the user picks one,
// remembered in localStorage. The resolved theme is <html data-theme>, which the CSS and the
// charts read.
import { storage } from './dom';

export type ThemeChoice = 'auto' | 'light' | 'dark';
const key = 'pertoken.theme';
const query = window.matchMedia('(prefers-color-scheme: dark)');

export function resolvedTheme(choice: ThemeChoice): 'light' | 'dark' {
  return choice === 'auto' ? (query.matches ? 'dark' : 'light') : choice;
}

export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset['theme'] = resolvedTheme(choice);
  document.documentElement.dataset['themeChoice'] = choice;
}

export function storedTheme(): ThemeChoice {
  const stored = storage.get(key);
  return stored === 'light' || stored === 'dark' ? stored : 'auto';
}

// Wires a button that cycles auto -> light -> dark; `changed` runs after every change.
export function themeButton(button: HTMLButtonElement, changed: () => void): void {
  let choice = storedTheme();
  const show = () => {
    button.textContent = `Theme: ${choice}`;
    button.setAttribute('aria-label', `Colour theme: ${choice} (change)`);
  };
  applyTheme(choice);
  show();
  button.addEventListener('click', () => {
    choice = choice === 'auto' ? 'light' : choice === 'light' ? 'dark' : 'auto';
    if (choice === 'auto') storage.remove(key);
    else storage.set(key, choice);
    applyTheme(choice);
    show();
    changed();
  });
  query.addEventListener('change', () => {
    if (choice !== 'auto') return;
    applyTheme(choice);
    changed();
  });
}
