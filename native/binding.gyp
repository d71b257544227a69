{
  "targets": [
    {
      "target_name": "bridgescope_pcap",
      "sources": ["src/addon.cc", "src/pcap-handle.cc", "src/devices.cc"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "libraries": ["-lpcap"]
    }
  ]
}
