/** Fixtures shared by the rule cases that came from the core group (one file per rule in ../cases). */

export const allPassed = ['Passed', 'Passed', 'Passed', 'Passed', 'Passed', 'Passed'].map((key) => `ProviderRegistered.${key}`);
