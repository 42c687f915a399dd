// The sign-in form. The analyst token is kept in sessionStorage (gone when the
// tab closes) and only ever sent as an Authorization header. The input has no
// `name`, so even a form submitted without JavaScript could not put it in a URL.
import { bi, h } from './dom.ts';

const STORAGE_KEY = 'shoppulse.analyst-token';

export const tokenStore = {
  get(): string | null {
    try {
      return sessionStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  },
  set(token: string): void {
    sessionStorage.setItem(STORAGE_KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};

export interface SignIn {
  element: HTMLElement;
  show(message?: string): void;
  hide(): void;
}

/** `verify` resolves with an error message to show, or null when the token works. */
export function createSignIn(verify: (token: string) => Promise<string | null>, onSignedIn: () => void): SignIn {
  const tokenInput = h('input', { attrs: { type: 'password', autocomplete: 'current-password', required: '', minlength: '16', 'data-field': 'token', 'aria-label': 'API token' } });
  const message = h('p', { class: 'signin-message', attrs: { role: 'alert' }, data: { section: 'signin-message' } });
  const submit = h('button', { class: 'btn btn-primary', attrs: { type: 'submit', 'data-action': 'sign-in' } }, bi('登录', 'Sign in'));
  const form = h(
    'form',
    {
      class: 'signin-form',
      attrs: { autocomplete: 'on', action: '#', method: 'post' },
      on: {
        submit: (e) => {
          e.preventDefault();
          const token = tokenInput.value.trim();
          if (token === '') return;
          submit.disabled = true;
          message.textContent = '验证中 Checking…';
          message.dataset.kind = 'info';
          void verify(token).then((error) => {
            submit.disabled = false;
            if (error !== null) {
              message.textContent = error;
              message.dataset.kind = 'error';
              tokenInput.select();
              return;
            }
            tokenInput.value = '';
            message.textContent = '';
            onSignedIn();
          });
        },
      },
    },
    h('h1', null, 'ShopPulse ', bi('分析台', 'Analyst')),
    h('p', { class: 'muted' }, '输入分析令牌（API_TOKEN）。令牌只保存在本标签页，并只以 Authorization 头发送。 Enter the analyst token (API_TOKEN). It stays in this tab and is only sent as an Authorization header.'),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, bi('令牌', 'Token')), tokenInput),
    submit,
    message,
  );
  const element = h('section', { class: 'signin', data: { section: 'signin' } }, form);
  return {
    element,
    show(text) {
      element.hidden = false;
      if (text) {
        message.textContent = text;
        message.dataset.kind = 'error';
      }
      tokenInput.focus();
    },
    hide() {
      element.hidden = true;
      message.textContent = '';
    },
  };
}
