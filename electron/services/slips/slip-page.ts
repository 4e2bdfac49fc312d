/**
 * A top-to-bottom page builder for thermal paper: blocks are laid out in dots at a fixed width,
 * the height follows from the content, and the result is a 1-bit raster.
 *
 * Layout is measured first and drawn once at the end, because a canvas cannot grow. Text is
 * drawn anti-aliased by Skia and then thresholded (not dithered) so edges stay crisp; QR modules
 * are filled as whole-dot rectangles, which Skia draws without any partial coverage, so they
 * survive the threshold exactly.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { thresholdRgba, type BitRaster } from '../printer/bit-raster';
import { slipFont } from './slip-fonts';

export interface TextStyle {
  readonly size: number;
  readonly bold?: boolean;
  readonly align?: 'left' | 'center';
}

/** A QR symbol's modules (the `qrcode` package's BitMatrix has this shape). */
export interface ModuleMatrix {
  readonly size: number;
  get(row: number, col: number): number | boolean;
}

type Op = { kind: 'text'; text: string; x: number; baseline: number; font: string } | { kind: 'rect'; x: number; y: number; w: number; h: number };

/** Luminance below which a pixel prints black: just under half, so anti-aliased strokes keep their weight. */
export const INK_THRESHOLD = 144;

interface Metrics {
  readonly ascent: number;
  readonly descent: number;
}

export class SlipPage {
  private readonly ops: Op[] = [];
  private y: number;
  private readonly measureCtx: SKRSContext2D = createCanvas(1, 1).getContext('2d');
  private readonly metricsCache = new Map<string, Metrics>();

  constructor(
    readonly width: number,
    readonly margin: number,
  ) {
    this.y = margin;
  }

  get contentWidth(): number {
    return this.width - 2 * this.margin;
  }

  space(dots: number): this {
    this.y += Math.round(dots);
    return this;
  }

  /** Wrapped text; words longer than a line break between characters (grapheme clusters). */
  paragraph(text: string, style: TextStyle): this {
    const font = slipFont(style.size, style.bold);
    for (const line of this.wrap(text, font, this.contentWidth)) {
      const x = style.align === 'center' ? this.margin + Math.floor((this.contentWidth - this.measure(line, font)) / 2) : this.margin;
      this.line([{ text: line, x, font }]);
    }
    return this;
  }

  /** Whether `text` fits on one line in `style`. */
  fits(text: string, style: TextStyle): boolean {
    return this.measure(text, slipFont(style.size, style.bold)) <= this.contentWidth;
  }

  /**
   * `label  value`, the value wrapped with a hanging indent under itself. A label too wide to
   * leave the value room (narrow paper, long translation) puts the value on its own lines.
   */
  field(label: string, value: string, labelStyle: TextStyle, valueStyle: TextStyle): this {
    const labelFont = slipFont(labelStyle.size, labelStyle.bold);
    const valueFont = slipFont(valueStyle.size, valueStyle.bold);
    const labelText = `${label}: `;
    const labelW = Math.ceil(this.measure(labelText, labelFont));
    if (labelW > this.contentWidth * 0.45) {
      this.line([{ text: labelText.trimEnd(), x: this.margin, font: labelFont }]);
      for (const l of this.wrap(value, valueFont, this.contentWidth)) this.line([{ text: l, x: this.margin, font: valueFont }]);
      return this;
    }
    const lines = this.wrap(value, valueFont, this.contentWidth - labelW);
    lines.forEach((l, i) => {
      const parts = [{ text: l, x: this.margin + labelW, font: valueFont }];
      this.line(i === 0 ? [{ text: labelText, x: this.margin, font: labelFont }, ...parts] : parts);
    });
    return this;
  }

  /** Two short fields on one line when they fit side by side, otherwise one under the other. */
  fieldPair(a: readonly [string, string], b: readonly [string, string], labelStyle: TextStyle, valueStyle: TextStyle): this {
    const labelFont = slipFont(labelStyle.size, labelStyle.bold);
    const valueFont = slipFont(valueStyle.size, valueStyle.bold);
    const half = Math.floor(this.contentWidth / 2);
    const widthOf = ([l, v]: readonly [string, string]) => this.measure(`${l}: `, labelFont) + this.measure(v, valueFont);
    if (widthOf(a) > half - 8 || widthOf(b) > this.contentWidth - half) {
      return this.field(a[0], a[1], labelStyle, valueStyle).field(b[0], b[1], labelStyle, valueStyle);
    }
    const at = (x: number, [l, v]: readonly [string, string]) => [
      { text: `${l}: `, x, font: labelFont },
      { text: v, x: x + Math.ceil(this.measure(`${l}: `, labelFont)), font: valueFont },
    ];
    this.line([...at(this.margin, a), ...at(this.margin + half, b)]);
    return this;
  }

  /** A bulleted list under a label, each item wrapped with a hanging indent. */
  list(label: string, items: readonly string[], labelStyle: TextStyle, itemStyle: TextStyle): this {
    const labelFont = slipFont(labelStyle.size, labelStyle.bold);
    const itemFont = slipFont(itemStyle.size, itemStyle.bold);
    this.line([{ text: `${label}:`, x: this.margin, font: labelFont }]);
    const bullet = '• ';
    const indent = Math.ceil(this.measure(bullet, itemFont)) + Math.round(itemStyle.size / 2);
    for (const item of items) {
      this.wrap(item, itemFont, this.contentWidth - indent).forEach((l, i) => {
        const x = this.margin + indent;
        this.line(i === 0 ? [{ text: bullet, x: x - Math.ceil(this.measure(bullet, itemFont)), font: itemFont }, { text: l, x, font: itemFont }] : [{ text: l, x, font: itemFont }]);
      });
    }
    return this;
  }

  /** A horizontal rule across the content width. */
  rule(thickness = 2, gap = 8): this {
    this.y += gap;
    this.ops.push({ kind: 'rect', x: this.margin, y: this.y, w: this.contentWidth, h: thickness });
    this.y += thickness + gap;
    return this;
  }

  /**
   * A QR symbol centred on the paper, `moduleDots` dots per module, with a white quiet zone of
   * `quietModules` modules on every side (ISO/IEC 18004 §6.3.8 asks for 4). The quiet zone may
   * run into the side margins: paper there is white too. Returns where the symbol was placed.
   */
  qr(matrix: ModuleMatrix, moduleDots: number, quietModules: number): { x: number; y: number; size: number } {
    const symbol = matrix.size * moduleDots;
    const total = symbol + 2 * quietModules * moduleDots;
    if (!Number.isInteger(moduleDots) || total > this.width) throw new RangeError(`QR of ${total} dots does not fit ${this.width}`);
    const x = Math.floor((this.width - symbol) / 2);
    const y = this.y + quietModules * moduleDots;
    for (let r = 0; r < matrix.size; r++) {
      for (let c = 0; c < matrix.size; c++) {
        if (matrix.get(r, c)) this.ops.push({ kind: 'rect', x: x + c * moduleDots, y: y + r * moduleDots, w: moduleDots, h: moduleDots });
      }
    }
    this.y += total;
    return { x, y, size: symbol };
  }

  render(): BitRaster {
    const height = this.y + this.margin;
    const canvas = createCanvas(this.width, height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, this.width, height);
    ctx.fillStyle = '#000000';
    ctx.textBaseline = 'alphabetic';
    for (const op of this.ops) {
      if (op.kind === 'rect') {
        ctx.fillRect(op.x, op.y, op.w, op.h);
      } else {
        ctx.font = op.font;
        ctx.fillText(op.text, op.x, op.baseline);
      }
    }
    return thresholdRgba(ctx.getImageData(0, 0, this.width, height).data, this.width, height, INK_THRESHOLD);
  }

  /** One line of runs sharing a baseline; the line box fits the tallest font's ascent and descent. */
  private line(runs: readonly { text: string; x: number; font: string }[]): void {
    const m = runs.map((r) => this.metrics(r.font));
    const ascent = Math.max(...m.map((x) => x.ascent));
    const descent = Math.max(...m.map((x) => x.descent));
    const baseline = this.y + ascent;
    for (const r of runs) if (r.text !== '') this.ops.push({ kind: 'text', text: r.text, x: r.x, baseline, font: r.font });
    this.y = baseline + descent;
  }

  private wrap(text: string, font: string, maxWidth: number): string[] {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (this.measure(candidate, font) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      if (this.measure(word, font) <= maxWidth) {
        line = word;
        continue;
      }
      for (const { segment } of graphemes.segment(word)) {
        if (line !== '' && this.measure(line + segment, font) > maxWidth) {
          lines.push(line);
          line = '';
        }
        line += segment;
      }
    }
    if (line) lines.push(line);
    return lines.length > 0 ? lines : [''];
  }

  private measure(text: string, font: string): number {
    this.measureCtx.font = font;
    return this.measureCtx.measureText(text).width;
  }

  /** The font's own ascent and descent (not the glyphs'), so stacked Vietnamese marks (Ấ, Ễ) fit. */
  private metrics(font: string): Metrics {
    let m = this.metricsCache.get(font);
    if (!m) {
      this.measureCtx.font = font;
      const t = this.measureCtx.measureText('Ấg');
      m = { ascent: Math.ceil(t.fontBoundingBoxAscent), descent: Math.ceil(t.fontBoundingBoxDescent) };
      this.metricsCache.set(font, m);
    }
    return m;
  }
}

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });
