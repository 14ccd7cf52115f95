// The user's words for every error code live in one table shared with the CLI
// (electron/ipc/error-words.ts); the renderer shows `title` and `action`.
export { attemptsLeftText, ERROR_MESSAGES, type ErrorWords, wordsFor } from '../../../electron/ipc/error-words.ts';
