// Types of msi-policy.mjs (plain JavaScript: electron-builder loads it without tsx).
export declare function addPolicyProperty(wxs: string): string;
export declare function msiProjectCreated(projectFile: string): Promise<void>;
