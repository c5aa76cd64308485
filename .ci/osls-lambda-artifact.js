// osls plugin: builds the deployment package (package.artifact) with lambda_artifact.py before
// osls packages the service, so `npx osls package` needs neither Docker nor another plugin.
// The build runs under the runtime's Python (python3.13 for runtime python3.13; LAMBDA_PYTHON
// names another interpreter of that version).
'use strict';

const { execFileSync } = require('node:child_process');
const path = require('node:path');

class LambdaArtifact {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:createDeploymentArtifacts': () => this.build(),
    };
  }

  build() {
    const { provider, package: packaging } = this.serverless.service;
    const python = provider.runtime.replace(/^python/, '');
    const interpreter = process.env.LAMBDA_PYTHON || `python${python}`;
    execFileSync(
      interpreter,
      [
        path.join(__dirname, 'lambda_artifact.py'),
        '--architecture',
        provider.architecture || 'x86_64',
        '--python',
        python,
        '--output',
        path.resolve(this.serverless.serviceDir, packaging.artifact),
      ],
      { stdio: 'inherit' }
    );
  }
}

module.exports = LambdaArtifact;
