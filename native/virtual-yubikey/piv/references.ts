// What several of the card's PIV handlers name: the key references besides
// the slots (SP 800-73-4 Part 1 Table 4a; 9B: SP 800-78-4 Table 6-1 "PIV Card
// Application Administration Key") and the tags of GENERAL AUTHENTICATE's
// dynamic authentication template (SP 800-73-4 Part 2 Table 7).

export const KEY_REF = { PIN: 0x80, PUK: 0x81, MANAGEMENT: 0x9b } as const;

export const AUTH_TAG = { TEMPLATE: 0x7c, WITNESS: 0x80, CHALLENGE: 0x81, RESPONSE: 0x82, EXPONENTIATION: 0x85 } as const;
