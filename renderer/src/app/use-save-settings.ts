/**
 * `settings.update` for every writer of settings (the form, the language switch). The answer is
 * the new settings, so it goes straight into the `settings.get` cache — after cancelling any read
 * that was in flight when the save started: that read's older answer could otherwise land last
 * and put the old values (e.g. the old language) back on screen.
 */
import { useQueryClient } from '@tanstack/react-query';
import type { PublicSettings } from '../../../shared/settings-schema';
import { deskQueryKey, useDeskMutation } from '../lib/query';

export function useSaveSettings(onSaved?: (value: PublicSettings) => void) {
  const queryClient = useQueryClient();
  return useDeskMutation('settings.update', {
    onMutate: () => queryClient.cancelQueries({ queryKey: deskQueryKey('settings.get') }),
    onSuccess: (value) => {
      queryClient.setQueryData(deskQueryKey('settings.get', {}), value);
      onSaved?.(value);
    },
  });
}
