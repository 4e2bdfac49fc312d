/**
 * The patient's pages, rendered on the server: small (the first screen is a few kilobytes before
 * the images), no inline script or style (the CSP forbids both), one column for a 360-px phone.
 */
import { html, type SafeHtml } from '../http/html';
import type { StaticAssets } from '../http/static-assets';
import { TEXTS, type Lang, type Texts } from './i18n';

export interface PageFrame {
  readonly lang: Lang;
  readonly assets: StaticAssets;
  /** Where the language switch returns to (a token-free path). */
  readonly here: string;
  readonly clinicName?: string;
}

function layout(f: PageFrame, title: string, body: SafeHtml, opts: { refreshSeconds?: number; script?: boolean } = {}): SafeHtml {
  const t = TEXTS[f.lang];
  return html`<!doctype html>
<html lang="${t.htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
${opts.refreshSeconds ? html`<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : ''}
<title>${title}</title>
<link rel="stylesheet" href="${f.assets.url('result.css')}">
</head>
<body>
<header><span class="clinic">${f.clinicName ?? ''}</span><a class="lang" href="/lang/${t.otherLangCode}?next=${encodeURIComponent(f.here)}" hreflang="${t.otherLangCode}">${t.otherLang}</a></header>
<main>
${body}
</main>
${opts.script ? html`<script src="${f.assets.url('result.js')}" defer></script>` : ''}
</body>
</html>
`;
}

function message(f: PageFrame, title: string, text: string, extra?: SafeHtml, opts?: { refreshSeconds?: number }): SafeHtml {
  return layout(f, title, html`<h1>${title}</h1><div class="card"><p>${text}</p>${extra ?? ''}</div>`, opts);
}

export interface ResultView {
  readonly maskedName: string;
  readonly birthYear: string | null;
  readonly exams: readonly string[];
  readonly date: string;
  readonly images: readonly { id: string }[];
}

export function resultPage(f: PageFrame, v: ResultView): SafeHtml {
  const t = TEXTS[f.lang];
  const shots = v.images.map(
    (img, i) => html`<li><a class="shot" href="/result/img/${img.id}?size=full"><img src="/result/img/${img.id}" alt="${t.imageAlt(i + 1)}"${i > 0 ? html` loading="lazy"` : ''}></a>
<div class="bar"><span>${i + 1}/${v.images.length}</span><a href="/result/img/${img.id}?download=1" download>${t.downloadImage}</a></div></li>`,
  );
  return layout(
    f,
    t.title,
    html`<h1>${t.title}</h1>
<div class="card"><dl>
<dt>${t.patient}</dt><dd>${v.maskedName}</dd>
${v.birthYear ? html`<dt>${t.birthYear}</dt><dd>${v.birthYear}</dd>` : ''}
<dt>${t.exam}</dt><dd>${v.exams.join(', ')}</dd>
<dt>${t.date}</dt><dd>${v.date}</dd>
</dl></div>
<p class="hint">${t.tapToZoom}</p>
<ul class="shots" data-close="${t.close}">
${shots}
</ul>
<div class="card"><a class="button wide" href="/result/dicom.zip" download>${t.downloadDicom}</a><p class="hint">${t.dicomNote}</p></div>
<p class="hint">${t.privacy}</p>`,
    { script: true },
  );
}

export function pendingPage(f: PageFrame, v: Omit<ResultView, 'images'>): SafeHtml {
  const t = TEXTS[f.lang];
  return layout(
    f,
    t.pendingTitle,
    html`<h1>${t.pendingTitle}</h1>
<div class="card"><dl>
<dt>${t.patient}</dt><dd>${v.maskedName}</dd>
<dt>${t.exam}</dt><dd>${v.exams.join(', ')}</dd>
<dt>${t.date}</dt><dd>${v.date}</dd>
</dl></div>
<div class="card"><p>${t.pendingBody}</p><a class="button secondary" href="/result">${t.reload}</a></div>`,
    { refreshSeconds: 30 },
  );
}

export function askBirthYearPage(f: PageFrame, error: string | null): SafeHtml {
  const t = TEXTS[f.lang];
  return layout(
    f,
    t.askTitle,
    html`<h1>${t.askTitle}</h1>
<div class="card"><p>${t.askBody}</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/result/verify">
<label for="birthYear">${t.askLabel}</label>
<input id="birthYear" name="birthYear" type="text" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off" required>
<p><button class="button" type="submit">${t.askSubmit}</button></p>
</form></div>`,
  );
}

export const lockedPage = (f: PageFrame, minutes: number) => message(f, TEXTS[f.lang].lockedTitle, TEXTS[f.lang].lockedBody(minutes));
export const invalidPage = (f: PageFrame) => message(f, TEXTS[f.lang].invalidTitle, TEXTS[f.lang].invalidBody);
export const tooManyPage = (f: PageFrame) => message(f, TEXTS[f.lang].tooManyTitle, TEXTS[f.lang].tooManyBody);
export const errorPage = (f: PageFrame) => message(f, TEXTS[f.lang].errorTitle, TEXTS[f.lang].errorBody);
export const homePage = (f: PageFrame) => message(f, TEXTS[f.lang].homeTitle, TEXTS[f.lang].homeBody);

export type { Texts };
