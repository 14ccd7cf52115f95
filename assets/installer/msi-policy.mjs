// electron-builder's msiProjectCreated hook (electron-builder.yml): adds the
// public property WFA_POLICY to the generated WiX project, so
//   msiexec /i "Workforce Access.msi" /qn WFA_POLICY=\\server\share\wfa-policy.json
// writes the organisation policy path into the per-machine registry value the
// app reads (electron/services/policy/machine-policy.ts), as the NSIS
// installer's /POLICY= option does (policy.nsh). Without the property nothing is written.
import { readFile, writeFile } from 'node:fs/promises';

const POLICY_XML = `
    <!-- Workforce Access: the organisation policy path, settable at install time (WFA_POLICY=...). -->
    <!-- electron-builder's template uses WiX 3 syntax (candle/light): a Condition child, Win64. -->
    <Property Id="WFA_POLICY" Secure="yes"/>
    <DirectoryRef Id="APPLICATIONFOLDER">
      <!-- Only when WFA_POLICY is given; Permanent: an uninstall (which an upgrade runs) keeps the organisation's value. -->
      <Component Id="WorkforceAccessPolicyPath" Guid="7D3A9F0E-5B61-4C1E-9A4B-2F6E8C1D0B57" Win64="yes" Permanent="yes">
        <Condition>WFA_POLICY</Condition>
        <RegistryValue Root="HKLM" Key="SOFTWARE\\Policies\\Workforce Access" Name="PolicyPath" Type="string" Value="[WFA_POLICY]" KeyPath="yes"/>
      </Component>
    </DirectoryRef>
    <Feature Id="WorkforceAccessPolicy" Level="1" Absent="disallow">
      <ComponentRef Id="WorkforceAccessPolicyPath"/>
    </Feature>
`;

/** Inserts the property and its component before </Product> (the template's last element). */
export function addPolicyProperty(wxs) {
  if (wxs.includes('Id="WFA_POLICY"')) return wxs;
  const end = wxs.lastIndexOf('</Product>');
  if (end < 0) throw new Error('msi-policy: no </Product> in the WiX project; electron-builder\'s MSI template changed');
  return `${wxs.slice(0, end)}${POLICY_XML}  ${wxs.slice(end)}`;
}

/** The hook: electron-builder calls it with the path of the generated project.wxs. */
export async function msiProjectCreated(projectFile) {
  await writeFile(projectFile, addPolicyProperty(await readFile(projectFile, 'utf8')));
}
