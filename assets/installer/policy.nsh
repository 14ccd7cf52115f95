; Included by electron-builder's NSIS installer (electron-builder.yml, nsis.include).
; `Workforce Access Setup.exe /S /POLICY=\\server\share\wfa-policy.json` writes the
; organisation policy path into the per-machine registry value the app reads
; (electron/services/policy/machine-policy.ts). A GPO may set the same value.
; The MSI does the same with its WFA_POLICY property (msi-policy.mjs).

!define WFA_POLICY_KEY "SOFTWARE\Policies\Workforce Access"
!define WFA_POLICY_VALUE "PolicyPath"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/POLICY=" $R1
  ${IfNot} ${Errors}
  ${AndIf} $R1 != ""
    ; The 64-bit registry view, where the 64-bit app reads (reg query /reg:64).
    SetRegView 64
    WriteRegStr HKLM "${WFA_POLICY_KEY}" "${WFA_POLICY_VALUE}" "$R1"
  ${EndIf}
!macroend

; The policy belongs to the organisation, not to this installation: an upgrade
; (which runs the old uninstaller) must not lose it, so the uninstaller leaves it.
