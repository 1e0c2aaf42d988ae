/**
 * The shared vocabulary: label sets, matchers and error codes. This package imports no other
 * thanosj package; everything else builds on it. Nothing here accepts or returns null unless a
 * method says so.
 */
package io.thanosj.model;
