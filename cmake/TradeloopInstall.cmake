# `cmake --install` exports tradeloopConfig.cmake: find_package(tradeloop CONFIG) then
# target_link_libraries(app tradeloop::backtest). tests/consumer/ checks that it works.
include(CMakePackageConfigHelpers)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tradeloop DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT tradeloopTargets NAMESPACE tradeloop:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tradeloop)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tradeloopConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/tradeloopConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tradeloop)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tradeloopConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tradeloopConfig.cmake ${PROJECT_BINARY_DIR}/tradeloopConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tradeloop)
if(TRADELOOP_BUILD_APPS)
  install(TARGETS tradeloop_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
