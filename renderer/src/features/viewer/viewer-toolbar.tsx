/**
 * The viewer's buttons: every one also has a key (shown in its tooltip and the help panel), and
 * the mouse tools show which one the left button drives.
 */
import { useTranslation } from 'react-i18next';
import { SHORTCUTS, type ViewerAction } from './shortcuts';
import type { ViewerTool } from './viewer-engine';

const TOOL_ACTIONS: ReadonlyArray<[ViewerAction, ViewerTool, string]> = [
  ['toolWindowLevel', 'windowLevel', '◐'],
  ['toolPan', 'pan', '✥'],
  ['toolZoom', 'zoom', '⌕'],
  ['toolLength', 'length', '↔'],
];

/** Two buttons a row in these groups: the column is narrow, the image beside it wide. */
const GROUPS: ReadonlyArray<ReadonlyArray<[ViewerAction, string]>> = [
  [
    ['presetFile', ''],
    ['presetChest', ''],
    ['presetSoftTissue', ''],
    ['presetBone', ''],
  ],
  [
    ['rotate', '⟳'],
    ['invert', '◑'],
    ['flipH', '⇋'],
    ['flipV', '⇵'],
  ],
  [
    ['fit', '⤢'],
    ['oneToOne', ''],
    ['reset', '↺'],
  ],
];

const keyLabel = new Map(SHORTCUTS.map((s) => [s.action, s.label]));

export interface ToolbarProps {
  tool: ViewerTool;
  disabled: boolean;
  onAction(action: ViewerAction): void;
}

export function ViewerToolbar({ tool, disabled, onAction }: ToolbarProps) {
  const { t } = useTranslation();
  const title = (a: ViewerAction) => `${t(`viewer.action.${a}`)} (${keyLabel.get(a) ?? ''})`;
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
      <div className="viewer-tool-group viewer-tool-tools">
        {TOOL_ACTIONS.map(([action, id, icon]) => (
          <button
            key={action}
            type="button"
            className="viewer-button"
            aria-pressed={tool === id}
            title={title(action)}
            disabled={disabled}
            data-action={action}
            onClick={() => onAction(action)}
          >
            <span aria-hidden="true">{icon}</span> {t(`viewer.short.${action}`)}
          </button>
        ))}
      </div>
      {GROUPS.map((group, i) => (
        <div className="viewer-tool-group viewer-tool-pairs" key={i}>
          {group.map(([action, icon]) => (
            <button
              key={action}
              type="button"
              className="viewer-button"
              title={title(action)}
              disabled={disabled}
              data-action={action}
              onClick={() => onAction(action)}
            >
              {icon ? <span aria-hidden="true">{icon} </span> : null}
              {t(`viewer.short.${action}`)}
            </button>
          ))}
        </div>
      ))}
      <div className="viewer-tool-group viewer-tool-pairs">
        <button type="button" className="viewer-button viewer-help-button" title={title('help')} data-action="help" onClick={() => onAction('help')}>
          ? {t('viewer.short.help')}
        </button>
      </div>
    </div>
  );
}
