// The page both shells show when the renderer has not been built yet
// (renderer/dist/index.html missing): it says so instead of a bare 404.
// No inline script or style, so the strict CSP holds for it too.
export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Workforce Access</title></head>
<body>
<h1>Workforce Access</h1>
<p>The renderer is not built: renderer/dist/index.html does not exist.</p>
<p>Build the renderer, then reload this page.</p>
</body>
</html>
`;
