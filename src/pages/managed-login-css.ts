import { cssColor, settingAt } from '../domain/managed-login-branding.js';

/**
 * The style sheet of a managed login branding style's Settings, over the pages' own classes:
 * the colours of the page, form, banner, text, links, inputs, primary and secondary (passkey)
 * buttons, identity provider buttons, error alerts, dividers and focus rings, and the corner radii
 * of buttons, inputs and the form. Only what the style itself sets is written, so anything else keeps Cognate's
 * look. Every value is a checked `rrggbbaa` colour or a bounded number, so no setting can add CSS
 * of its own.
 *
 * `categories.global.colorSchemeMode` picks the mode: LIGHT (the default) writes the `lightMode`
 * colours, DARK the `darkMode` ones, DYNAMIC both, the dark ones under `prefers-color-scheme: dark`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-brandingeditor.html
 */

type Mode = 'lightMode' | 'darkMode';

/** Page selector, then the CSS declaration (`%` is the colour), then the setting's component and its path below the mode. */
const COLOR_RULES: ReadonlyArray<readonly [selector: string, declaration: string, component: readonly string[], path: readonly string[]]> =
  [
    ['.background-customizable', 'background-color', ['components', 'pageBackground'], ['color']],
    ['.modal-content', 'background-color', ['components', 'form'], ['backgroundColor']],
    ['.modal-content', 'border:1px solid %', ['components', 'form'], ['borderColor']],
    ['.banner-customizable', 'background-color', ['components', 'pageHeader'], ['background', 'color']],
    ['h1.textDescription-customizable', 'color', ['components', 'pageText'], ['headingColor']],
    ['p.textDescription-customizable', 'color', ['components', 'pageText'], ['descriptionColor']],
    ['body', 'color', ['components', 'pageText'], ['bodyColor']],
    ['.label-customizable', 'color', ['componentClasses', 'inputLabel'], ['textColor']],
    ['.inputField-customizable', 'background-color', ['componentClasses', 'input'], ['defaults', 'backgroundColor']],
    ['.inputField-customizable', 'border-color', ['componentClasses', 'input'], ['defaults', 'borderColor']],
    ['a,.link-button', 'color', ['componentClasses', 'link'], ['defaults', 'textColor']],
    ['a:hover,.link-button:hover', 'color', ['componentClasses', 'link'], ['hover', 'textColor']],
    ['.submitButton-customizable', 'background-color', ['components', 'primaryButton'], ['defaults', 'backgroundColor']],
    ['.submitButton-customizable', 'color', ['components', 'primaryButton'], ['defaults', 'textColor']],
    ['.submitButton-customizable:hover', 'background-color', ['components', 'primaryButton'], ['hover', 'backgroundColor']],
    ['.submitButton-customizable:hover', 'color', ['components', 'primaryButton'], ['hover', 'textColor']],
    ['.submitButton-customizable:active', 'background-color', ['components', 'primaryButton'], ['active', 'backgroundColor']],
    ['.passkey-button', 'background-color', ['components', 'secondaryButton'], ['defaults', 'backgroundColor']],
    ['.passkey-button', 'border-color', ['components', 'secondaryButton'], ['defaults', 'borderColor']],
    ['.passkey-button', 'color', ['components', 'secondaryButton'], ['defaults', 'textColor']],
    ['.passkey-button:hover', 'background-color', ['components', 'secondaryButton'], ['hover', 'backgroundColor']],
    [
      '.idpButton-customizable,.socialButton-customizable',
      'background-color',
      ['components', 'idpButton', 'standard'],
      ['defaults', 'backgroundColor'],
    ],
    [
      '.idpButton-customizable,.socialButton-customizable',
      'border-color',
      ['components', 'idpButton', 'standard'],
      ['defaults', 'borderColor'],
    ],
    ['.idpButton-customizable,.socialButton-customizable', 'color', ['components', 'idpButton', 'standard'], ['defaults', 'textColor']],
    [
      '.idpButton-customizable:hover,.socialButton-customizable:hover',
      'background-color',
      ['components', 'idpButton', 'standard'],
      ['hover', 'backgroundColor'],
    ],
    ['.errorMessage-customizable', 'background-color', ['components', 'alert'], ['error', 'backgroundColor']],
    ['.errorMessage-customizable', 'border-left-color', ['components', 'alert'], ['error', 'borderColor']],
    ['.divider::before,.divider::after', 'border-top-color', ['componentClasses', 'divider'], ['borderColor']],
    [
      '.submitButton-customizable:focus-visible,.idpButton-customizable:focus-visible,.socialButton-customizable:focus-visible,.passkey-button:focus-visible,a:focus-visible,.link-button:focus-visible,.inputField-customizable:focus',
      'outline-color',
      ['componentClasses', 'focusState'],
      ['borderColor'],
    ],
  ];

/** A corner radius in pixels from the settings: a number from 0 to 100 (the editor's range is smaller). */
function radius(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100
    ? `${Math.round(value * 100) / 100}px`
    : undefined;
}

function rulesOf(declarations: ReadonlyMap<string, string[]>): string {
  return [...declarations].map(([selector, list]) => `${selector}{${list.join(';')}}`).join('\n');
}

function colorRules(settings: Readonly<Record<string, unknown>>, mode: Mode): string {
  const declarations = new Map<string, string[]>();
  for (const [selector, declaration, component, path] of COLOR_RULES) {
    const color = cssColor(settingAt(settings, [...component, mode, ...path]));
    if (color === undefined) continue;
    const list = declarations.get(selector) ?? [];
    list.push(declaration.includes('%') ? declaration.replace('%', color) : `${declaration}:${color}`);
    declarations.set(selector, list);
  }
  return rulesOf(declarations);
}

function shapeRules(settings: Readonly<Record<string, unknown>>): string {
  const declarations = new Map<string, string[]>();
  const buttons = radius(settingAt(settings, ['componentClasses', 'buttons', 'borderRadius']));
  if (buttons !== undefined)
    declarations.set('.submitButton-customizable,.idpButton-customizable,.passkey-button', [`border-radius:${buttons}`]);
  const inputs = radius(settingAt(settings, ['componentClasses', 'input', 'borderRadius']));
  if (inputs !== undefined) declarations.set('.inputField-customizable', [`border-radius:${inputs}`]);
  const form = radius(settingAt(settings, ['components', 'form', 'borderRadius']));
  if (form !== undefined) declarations.set('.modal-content', [`border-radius:${form}`]);
  return rulesOf(declarations);
}

/** The colour scheme a style asks for: LIGHT unless it says DARK or DYNAMIC. */
export function colorSchemeOf(settings: Readonly<Record<string, unknown>>): 'LIGHT' | 'DARK' | 'DYNAMIC' {
  const mode = settingAt(settings, ['categories', 'global', 'colorSchemeMode']);
  return mode === 'DARK' || mode === 'DYNAMIC' ? mode : 'LIGHT';
}

/** The pages' CSS for a style's settings; '' when it sets nothing the pages show. */
export function managedLoginCss(settings: Readonly<Record<string, unknown>>): string {
  const scheme = colorSchemeOf(settings);
  const parts = [shapeRules(settings)];
  if (scheme === 'LIGHT' || scheme === 'DYNAMIC') parts.push(colorRules(settings, 'lightMode'));
  if (scheme === 'DARK') parts.push(colorRules(settings, 'darkMode'));
  if (scheme === 'DYNAMIC') {
    const dark = colorRules(settings, 'darkMode');
    if (dark !== '') parts.push(`@media (prefers-color-scheme: dark){\n${dark}\n}`);
  }
  return parts.filter((part) => part !== '').join('\n');
}
