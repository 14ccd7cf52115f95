// Where the sign-in key was made (its attestation): "Generated on the key" with the
// firmware and form factor the key attested, or why that could not be shown.
import type { AttestationView } from '../../../electron/ipc/contract.ts';

/** Each verifier reason (verify-attestation.ts, attestation-step.ts) in the user's words. */
const REASON_WORDS: Readonly<Record<string, string>> = {
  'malformed-certificate': "the key's proof cannot be read",
  'slot-signature-invalid': "the proof is not signed by this key's own attestation key",
  'untrusted-root': 'the proof does not come from Yubico or another maker your company trusts',
  'not-valid-now': 'a certificate in the proof is out of date',
  'extension-invalid': 'the proof lacks details Yubico puts in it',
  'public-key-mismatch': 'the proof is for another key than the one made for you',
  'serial-mismatch': 'the proof names another security key',
  'policy-mismatch': "the key's PIN or touch setting is not the one asked for",
  unreadable: 'the key gave no proof',
  'trust-store-unreadable': "this app's list of trusted makers cannot be read",
};

function attested(view: AttestationView): string {
  return [view.firmware === null ? null : `firmware ${view.firmware}`, view.formFactor].filter((part) => part !== null).join(', ');
}

export function KeyProvenance({ attestation }: { readonly attestation: AttestationView | null }) {
  if (attestation?.status === 'verified') {
    const what = attested(attestation);
    return (
      <div className="notice notice-ok" data-testid="key-provenance">
        <div>
          <p className="notice-title">Generated on the key</p>
          <p>The security key proved that your sign-in key was made on it and can never have been copied{what === '' ? '' : ` (${what})`}.</p>
        </div>
      </div>
    );
  }
  let why: string;
  if (attestation === null) why = 'This key was paired before the app checked where its sign-in key was made. Pair it again to check.';
  else if (attestation.status === 'unsupported')
    why = `This key cannot prove where its sign-in key was made (${attestation.detail ?? 'its firmware is older than YubiKey 4.3'}).`;
  else {
    const reason = (attestation.reason === null ? undefined : REASON_WORDS[attestation.reason]) ?? 'the proof did not check out';
    why = `The key's proof could not be checked: ${reason}. Your company lets the key be used anyway; if this surprises you, tell your administrator.`;
  }
  return (
    <div className="notice notice-info" data-testid="key-provenance">
      <div>
        <p className="notice-title">Not shown to be generated on the key</p>
        <p>{why}</p>
        {attestation?.status === 'failed' && attestation.detail !== null ? <p className="muted">Details: {attestation.detail}</p> : null}
      </div>
    </div>
  );
}
