import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Amplify Storage 6.22.1 has no working way to reach an S3 endpoint over plain http on a chosen port: its
 * `Storage.S3.dangerouslyConnectToHttpEndpointForTesting` option (typed `string`) ignores the value, always targets
 * http://localhost:20005, and then its own endpoint resolver rejects that URL (InvalidCustomEndpoint: any custom
 * endpoint containing "://" is refused). This build-time transform makes that option do what its type says: its value
 * is the endpoint, used as given, path-style. Nothing else in Amplify changes (signing, requests, errors are its own).
 * The build fails if the code it expects is not there (for instance after an Amplify upgrade).
 * See docs/web.md and docs/decisions.md.
 */
function amplifyStorageHttpEndpoint() {
  const patches = [
    {
      file: /@aws-amplify\/storage\/dist\/esm\/providers\/s3\/utils\/resolveS3ConfigAndInput\.mjs$/,
      from: 'customEndpoint: LOCAL_TESTING_S3_ENDPOINT,',
      to: 'customEndpoint: dangerouslyConnectToHttpEndpointForTesting,',
    },
    {
      file: /@aws-amplify\/storage\/dist\/esm\/providers\/s3\/utils\/client\/s3data\/base\.mjs$/,
      from: 'if (customEndpoint === LOCAL_TESTING_S3_ENDPOINT) {\n            endpoint = new AmplifyUrl(customEndpoint);\n        }\n' +
        '        assertValidationError(',
      to: 'if (customEndpoint.includes(\'://\')) {\n            endpoint = new AmplifyUrl(customEndpoint);\n        }\n' +
        '        else {\n        assertValidationError(',
      // closes the else opened above, after the https:// line
      also: {
        from: 'endpoint = new AmplifyUrl(`https://${customEndpoint}`);\n',
        to: 'endpoint = new AmplifyUrl(`https://${customEndpoint}`);\n        }\n',
      },
    },
  ];
  const applied = new Set();
  return {
    name: 'gatehouse-amplify-storage-http-endpoint',
    enforce: 'pre',
    transform(code, id) {
      const patch = patches.find((p) => p.file.test(id.split('?')[0]));
      if (!patch) return null;
      let out = code;
      for (const { from, to } of [patch, ...(patch.also ? [patch.also] : [])]) {
        if (!out.includes(from)) {
          this.error(`Amplify Storage changed: cannot find ${JSON.stringify(from)} in ${id}`);
        }
        out = out.replace(from, to);
      }
      applied.add(patch);
      return { code: out, map: null };
    },
    buildEnd(error) {
      if (!error && applied.size !== patches.length) {
        this.error(`the Amplify Storage patch applied to ${applied.size} of ${patches.length} files`);
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), amplifyStorageHttpEndpoint()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
