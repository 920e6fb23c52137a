package dev.conduit.bundle; final class Placeholder {}
