// The PIN's length limits and the factory default PIN (design.md, "PIN rules";
// SP 800-73-4: 6 to 8 bytes), shared by the rules and their words.
export const DEFAULT_PIV_PIN = '123456';
export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 8;
