/** The evalaudit version recorded in every run and memo; a test keeps it equal to package.json's. */
export const VERSION = "0.3.0"
