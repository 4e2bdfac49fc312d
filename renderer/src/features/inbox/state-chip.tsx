/** Where a study stands, as a coloured chip: mới / cần gán lượt khám / cần duyệt ảnh / sẵn sàng / đang gửi / đã lưu PACS / lỗi / đã loại hết ảnh. */
import { useTranslation } from 'react-i18next';
import type { StudyState } from '../../../../shared/contract/ingest';

const TONE: Record<StudyState, 'ok' | 'warn' | 'bad' | 'idle' | 'info'> = {
  new: 'info',
  'needs-visit': 'warn',
  'needs-review': 'warn',
  ready: 'idle',
  sending: 'info',
  'in-pacs': 'ok',
  error: 'bad',
  // Nothing will be sent: the technician retakes, or the study is done with.
  'all-rejected': 'warn',
};

export function StateChip({ state }: { state: StudyState }) {
  const { t } = useTranslation();
  return (
    <span className={`pill state-chip state-${TONE[state]}`} data-state={state}>
      {t(`inbox.state.${state}`)}
    </span>
  );
}
